// A deterministic zip of a folder (the Ray `working_dir` package): entries sorted by path, a fixed timestamp, no
// extra fields, DEFLATE through node:zlib — the same files give the same bytes, so the package's sha1 names it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';

/** 1980-01-01 00:00, the earliest DOS time: no file's mtime leaks into the bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;

export interface ZipEntry {
  /** Forward slashes, relative to the archive root. */
  readonly name: string;
  readonly data: Buffer;
}

/** Every regular file under `dir` (symbolic links and special files are skipped), as zip entries. */
export async function folderEntries(dir: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const walk = async (folder: string) => {
    for (const item of await fs.promises.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, item.name);
      if (item.isDirectory()) await walk(full);
      else if (item.isFile()) entries.push({ name: path.relative(dir, full).split(path.sep).join('/'), data: await fs.promises.readFile(full) });
    }
  };
  await walk(dir);
  return entries;
}

/**
 * Exactly the named files under `dir` (what a bundle wrote), as zip entries: whatever else a trial run left there
 * (checkpoints/, outputs/, logs) stays out of the package. A name must stay inside `dir`.
 */
export async function namedEntries(dir: string, names: readonly string[]): Promise<ZipEntry[]> {
  const root = path.resolve(dir);
  return Promise.all(
    [...new Set(names)].map(async (name) => {
      const full = path.resolve(root, name);
      if (!full.startsWith(`${root}${path.sep}`)) throw new Error(`${name} is not inside ${dir}`);
      return { name: path.relative(root, full).split(path.sep).join('/'), data: await fs.promises.readFile(full) };
    }),
  );
}

export function zipEntries(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const stored = compressed.length >= entry.data.length;
    const body = stored ? entry.data : compressed;
    const crc = crc32(entry.data);
    const fields = { method: stored ? 0 : 8, crc, compressedSize: body.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: unix, 2.0
    writeEntryFields(central, 6, fields);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
    if (offset > 0xffffffff) throw new Error('the bundle is larger than 4 GiB: zip64 is not supported');
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** What the local header and the central directory both say of an entry, in the same order, from `at`. */
function writeEntryFields(header: Buffer, at: number, fields: { method: number; crc: number; compressedSize: number; size: number; nameLength: number }): void {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(UTF8_FLAG, at + 2);
  header.writeUInt16LE(fields.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.compressedSize, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.nameLength, at + 22);
}

let table: Uint32Array | undefined;

export function crc32(data: Buffer): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let at = 0; at < data.length; at++) crc = table[(crc ^ data[at]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
