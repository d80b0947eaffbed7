// Reading and writing grader.json (docs/dataset-format.md, docs/grader.md): an OpenAI grader object or our `js` kind, with located errors,
// semantic checks the schema cannot express (templates, formulas), and `file` references resolved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { GRADER_FILE } from '../dataset/manifest';
import { parseJsonWithSchema } from '../fs/parseJsonWithSchema';
import { checkFormulaNames, FormulaError } from './formula';
import { graderSchema, type Grader, type LeafGrader, type JudgeMessage } from './graderSchema';
import { checkTemplate, TemplateVariableError } from './template';

export { GRADER_FILE };
export const GRADERS_DIR = 'graders';

export class GraderFileError extends Error {}

export interface LoadedGrader {
  /** As written in grader.json. */
  readonly grader: Grader;
  /** With every script `file` read into `source`, ready to run or compile. */
  readonly resolved: Grader;
}

/** Parses grader text; throws GraderFileError naming the field ("grader.json: graders.quality.range: expected [min, max]"). */
export function parseGraderText(text: string, where = GRADER_FILE): Grader {
  const raw = safeJson(text);
  if (raw && typeof raw === 'object' && (raw as { type?: unknown }).type === 'label_model') {
    throw new GraderFileError(`${where}: type: label_model graders run only inside a multi grader (as in OpenAI's API)`);
  }
  const grader = parseJsonWithSchema(text, graderSchema, where, (message) => new GraderFileError(message));
  checkSemantics(grader, where);
  return grader;
}

/** grader.json of a dataset, or undefined when there is none. */
export async function readGraderFile(dir: string): Promise<LoadedGrader | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(dir, GRADER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GraderFileError(`${GRADER_FILE}: ${(error as Error).message}`);
  }
  const grader = parseGraderText(text);
  return { grader, resolved: await resolveFiles(grader, dir) };
}

/** A grader file given by path (`rft grader run grader.json`): its folder is where `file` references start. */
export async function readGraderAt(file: string): Promise<LoadedGrader> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new GraderFileError(`${file}: ${(error as Error).message}`);
  }
  const grader = parseGraderText(text, path.basename(file));
  return { grader, resolved: await resolveFiles(grader, path.dirname(file)) };
}

export async function writeGraderFile(dir: string, grader: Grader): Promise<void> {
  parseGraderText(JSON.stringify(grader));
  await writeFileAtomic(path.join(dir, GRADER_FILE), `${JSON.stringify(grader, null, 2)}\n`);
}

/** Reads `file` references (paths inside the dataset folder only) into `source`. */
export async function resolveFiles(grader: Grader, dir: string): Promise<Grader> {
  if (grader.type === 'multi') {
    const entries = await Promise.all(Object.entries(grader.graders).map(async ([name, sub]) => [name, await resolveLeaf(sub, dir, `graders.${name}`)] as const));
    return { ...grader, graders: Object.fromEntries(entries) };
  }
  return (await resolveLeaf(grader, dir, '')) as Grader;
}

async function resolveLeaf(grader: LeafGrader, dir: string, at: string): Promise<LeafGrader> {
  if ((grader.type !== 'python' && grader.type !== 'js') || grader.file === undefined) return grader;
  const where = `${GRADER_FILE}: ${at ? `${at}.` : ''}file`;
  const full = path.resolve(dir, grader.file);
  if (path.relative(dir, full).startsWith('..') || path.isAbsolute(path.relative(dir, full))) throw new GraderFileError(`${where}: "${grader.file}" is outside the dataset folder`);
  let source: string;
  try {
    source = await fs.promises.readFile(full, 'utf8');
  } catch (error) {
    throw new GraderFileError(`${where}: cannot read "${grader.file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  checkScript(grader.type, source, GRADER_FILE, `${at ? `${at}.` : ''}file "${grader.file}": `);
  const { file: _file, ...rest } = grader;
  return { ...rest, source };
}

function checkSemantics(grader: Grader, where: string): void {
  if (grader.type === 'multi') {
    try {
      checkFormulaNames(grader.calculate_output, Object.keys(grader.graders));
    } catch (error) {
      if (error instanceof FormulaError) throw new GraderFileError(`${where}: calculate_output: ${error.reason} (column ${error.column})`);
      throw error;
    }
    for (const [name, sub] of Object.entries(grader.graders)) checkLeaf(sub, where, `graders.${name}.`);
    return;
  }
  checkLeaf(grader, where, '');
}

function checkLeaf(grader: LeafGrader, where: string, at: string): void {
  const templates: [string, string][] = [];
  if (grader.type === 'string_check' || grader.type === 'text_similarity') templates.push(['input', grader.input], ['reference', grader.reference]);
  if (grader.type === 'score_model' || grader.type === 'label_model') grader.input.forEach((message, index) => templates.push(...messageTemplates(message, `input.${index}.content`)));
  if ((grader.type === 'python' || grader.type === 'js') && grader.source !== undefined) checkScript(grader.type, grader.source, where, at);
  for (const [field, template] of templates) {
    try {
      checkTemplate(template);
    } catch (error) {
      if (error instanceof TemplateVariableError) throw new GraderFileError(`${where}: ${at}${field}: ${error.message}`);
      throw error;
    }
  }
}

function messageTemplates(message: JudgeMessage, at: string): [string, string][] {
  if (typeof message.content === 'string') return [[at, message.content]];
  return message.content.flatMap((part, index) => (typeof part.text === 'string' ? [[`${at}.${index}.text`, part.text] as [string, string]] : []));
}

function checkScript(type: 'python' | 'js', source: string, where: string, at: string): void {
  const defines = type === 'python' ? /^\s*def\s+grade\s*\(/m : /\bfunction\s+grade\s*\(|\bgrade\s*=\s*(?:function|\(|async|[A-Za-z_$][\w$]*\s*=>)/;
  if (!defines.test(source))
    throw new GraderFileError(
      `${where}: ${at}${at.endsWith(': ') ? '' : 'source: '}the ${type === 'python' ? 'Python' : 'JavaScript'} source must define ${type === 'python' ? 'def grade(sample, item)' : 'function grade(input)'}`,
    );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}
