// Incremental re-validation as the editor does it: one edit, then issues() and counts() of the whole document.
// Usage: node --import tsx bench/incremental.mts <file.jsonl> [lines] [edits]
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { DocumentValidation } from '../src/core/validation/documentValidation';
import { validateLine } from '../src/core/validation/lineValidator';
import { DEFAULT_VALIDATION_SETTINGS } from '../src/core/validation/settings';

const [file, lineArg = '50000', editArg = '200'] = process.argv.slice(2);
const lineCount = Number(lineArg);
const editCount = Number(editArg);

const lines: string[] = [];
for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
  lines.push(line);
  if (lines.length >= lineCount + 2000) break;
}
const documentLines = lines.slice(0, lineCount);
// Lines from outside the document, valid ones only, to paste over a line.
const replacements = lines.slice(lineCount).filter((text) => !validateLine({ text, byteLength: Buffer.byteLength(text) }, DEFAULT_VALIDATION_SETTINGS).hasError);

let state = 0x1234567;
const random = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 2 ** 32;
};

let started = performance.now();
const doc = new DocumentValidation(documentLines, DEFAULT_VALIDATION_SETTINGS);
const openMs = performance.now() - started;

/** A one-character change inside a message's text, or undefined when the line has none. */
function typeOneCharacter(line: number) {
  const text = doc.lineText(line);
  const starts: number[] = [];
  for (const marker of ['"content":"', '"text":"']) {
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) starts.push(at + marker.length);
  }
  if (starts.length === 0) return undefined;
  const start = starts[Math.floor(random() * starts.length)];
  const end = text.indexOf('"', start);
  if (end <= start) return undefined;
  const at = start + Math.floor(random() * (end - start));
  const replacement = text[at] === 'x' ? 'y' : 'x';
  return { startLine: line, startCharacter: at, endLine: line, endCharacter: at + 1, text: replacement };
}

const times: number[] = [];
let issues = 0;
for (let edit = 0; edit < editCount; edit++) {
  const line = Math.floor(random() * doc.lineCount);
  const change = (edit % 2 === 0 && typeOneCharacter(line)) || {
    startLine: line,
    startCharacter: 0,
    endLine: line,
    endCharacter: doc.lineText(line).length,
    text: replacements[Math.floor(random() * replacements.length)],
  };
  started = performance.now();
  doc.applyChange(change);
  issues = doc.issues().length;
  doc.counts();
  times.push(performance.now() - started);
}

times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
const round = (ms: number) => Math.round(ms * 100) / 100;
process.stdout.write(
  `${JSON.stringify({ lines: doc.lineCount, edits: times.length, openMs: round(openMs), medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(times[times.length - 1]), issues })}\n`,
);
