import { parseArgs } from 'node:util';
import { GENERATED_FILE } from '../../core/dataset/manifest';
import { deleteGeneratedRecords, RecordsError, RecordsIndex, type LineRef, type RecordRow, type RecordsFilter } from '../../core/records';
import { ALL_CODES, type ValidationCode } from '../../core/validation/codes';
import type { Output } from '../output';
import { EXIT_OK, parsePositiveInt, UsageError } from '../usage';
import { requireDataset } from './dataset';

const DEFAULT_LIMIT = 100;

/** `rft records <dataset>`: lists the dataset's record lines with filters, or deletes generated ones. */
export async function recordsCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      generated: { type: 'boolean', default: false },
      traces: { type: 'boolean', default: false },
      topic: { type: 'string' },
      uncategorized: { type: 'boolean', default: false },
      valid: { type: 'boolean', default: false },
      invalid: { type: 'boolean', default: false },
      duplicates: { type: 'boolean', default: false },
      code: { type: 'string' },
      'low-confidence': { type: 'boolean', default: false },
      search: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      all: { type: 'boolean', default: false },
      'delete-generated': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('records needs exactly one <dataset folder>');
  const dir = requireDataset(positionals[0], 'records');
  try {
    if (values['delete-generated'] !== undefined) return await deleteLines(dir, values['delete-generated'], values.json ?? false, output);
    const filter = filterOf(values);
    const index = await RecordsIndex.build(dir);
    const offset = parsePositiveInt('--offset', values.offset) ?? 0;
    const limit = values.all ? Number.MAX_SAFE_INTEGER : (parsePositiveInt('--limit', values.limit) ?? DEFAULT_LIMIT);
    const page = index.query(filter, { offset, limit });
    if (values.json) {
      output.out(`${JSON.stringify({ total: page.total, records: page.rows.map(jsonRow) })}\n`);
      return EXIT_OK;
    }
    for (const row of page.rows) output.out(`${textRow(row)}\n`);
    const shown =
      page.rows.length === 0
        ? `No record matches (${page.total.toLocaleString('en-US')}).`
        : `${(offset + 1).toLocaleString('en-US')}–${(offset + page.rows.length).toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')}`;
    const more = offset + page.rows.length < page.total ? ` · more with --offset ${offset + page.rows.length} (or --all)` : '';
    output.out(`${shown}${more}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof RecordsError) throw new UsageError(error.message);
    throw error;
  }
}

type Values = Record<string, string | boolean | undefined>;

function filterOf(values: Values): RecordsFilter {
  if (values.generated && values.traces) throw new UsageError('--generated and --traces exclude each other');
  const statuses = (['valid', 'invalid', 'duplicates'] as const).filter((flag) => values[flag]);
  if (statuses.length > 1) throw new UsageError(`--${statuses.join(' and --')} exclude each other`);
  const code = values.code as string | undefined;
  if (code !== undefined && !ALL_CODES.includes(code as ValidationCode)) throw new UsageError(`--code must be a validation code (${ALL_CODES.join(', ')}), got "${code}"`);
  const status = statuses[0] === 'duplicates' ? 'duplicate' : statuses[0];
  const filter: RecordsFilter = {
    ...(values.topic ? { topic: String(values.topic) } : {}),
    ...(values.uncategorized ? { uncategorized: true } : {}),
    ...(status ? { status } : {}),
    ...(code ? { code } : {}),
    ...(values.generated ? { origin: 'generated' as const } : values.traces ? { origin: 'traces' as const } : {}),
    ...(values['low-confidence'] ? { lowConfidence: true } : {}),
    ...(values.search ? { search: String(values.search) } : {}),
  };
  return filter;
}

/** "3,5,8-10" or "generated.jsonl:3"; a records.jsonl line is passed on so the core refuses it with its reason. */
export function parseLineList(list: string): LineRef[] {
  const refs: LineRef[] = [];
  for (const item of list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const match = /^(?:([^:]+):)?(\d+)(?:-(\d+))?$/.exec(item);
    if (!match) throw new UsageError(`--delete-generated needs line numbers like 3,5,8-10; "${item}" is not one`);
    const file = match[1] ?? GENERATED_FILE;
    const from = Number(match[2]);
    const to = match[3] === undefined ? from : Number(match[3]);
    if (to < from || to - from > 1_000_000) throw new UsageError(`--delete-generated: "${item}" is not a range`);
    for (let line = from; line <= to; line++) refs.push({ file, line });
  }
  if (refs.length === 0) throw new UsageError('--delete-generated needs at least one line number');
  return refs;
}

async function deleteLines(dir: string, list: string, json: boolean, output: Output): Promise<number> {
  const result = await deleteGeneratedRecords(dir, parseLineList(list));
  if (json) output.out(`${JSON.stringify({ deleted: result.lines.length, lines: result.lines, labelsDropped: result.labelsDropped })}\n`);
  else
    output.out(
      `Deleted ${result.lines.length.toLocaleString('en-US')} generated record${result.lines.length === 1 ? '' : 's'} from ${GENERATED_FILE} (line${result.lines.length === 1 ? '' : 's'} ${result.lines.join(', ')})${result.labelsDropped > 0 ? `; dropped ${result.labelsDropped} label${result.labelsDropped === 1 ? '' : 's'}` : ''}. records.jsonl was not touched.\n`,
    );
  return EXIT_OK;
}

function jsonRow(row: RecordRow) {
  return {
    file: row.file,
    line: row.line,
    ...(row.key !== undefined ? { key: row.key } : {}),
    status: row.status,
    ...(row.codes ? { codes: row.codes } : {}),
    ...(row.duplicateOf ? { duplicateOf: row.duplicateOf } : {}),
    origin: row.origin,
    ...(row.topic !== undefined ? { topic: row.topic, confidence: row.confidence } : {}),
    text: row.text,
  };
}

function textRow(row: RecordRow): string {
  const codes = row.status === 'invalid' && row.codes ? ` [${row.codes.join(',')}]` : row.duplicateOf ? ` [of ${row.duplicateOf.file}:${row.duplicateOf.line}]` : '';
  const topic = row.topic === undefined ? '—' : `${row.topic} (${row.confidence?.toFixed(2)})`;
  return `${`${row.file}:${row.line}`.padEnd(22)}  ${`${row.status}${codes}`.padEnd(12)}  ${topic.padEnd(28)}  ${row.text}`;
}
