// LiteLLM proxy config.yaml routing (issue 14 §3): replace an existing model_name's deployments with the tuned
// model, add an alias for it, or put base and tuned under one model_name with weights (A/B). The yaml package's
// Document API finds the nodes and their source ranges; the edits splice only those ranges, so every comment,
// anchor, order and byte elsewhere stays as it was (a plan with no change gives the file back byte for byte). The
// edited text is parsed again and must equal the intended value, or nothing is written.
import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { DeployMode } from './deploymentTypes';

export type { DeployMode };
export const DEPLOY_MODES: readonly DeployMode[] = ['replace', 'alias', 'ab'];

/** A deployment's litellm_params as we write them: strings and numbers, keys only as os.environ/NAME. */
export type LitellmParams = Readonly<Record<string, string | number>>;

export class LitellmConfigError extends Error {}

/** The config or a flag cannot be used as given (a file that does not parse or is not a mapping, a model_name it
 * lacks, weights that are not two numbers): a usage or input error, exit code 2, nothing changed. */
export class LitellmConfigInputError extends LitellmConfigError {}

/** A request that needs the user's decision (a flag) before it can be done: the CLI exits 2 and changes nothing. */
export class DeployDecisionError extends LitellmConfigError {}

/** The routing strategies LiteLLM's Router takes (router.py, `routing_strategy: Literal[…]`); the default when unset. */
export const ROUTING_STRATEGIES = ['simple-shuffle', 'least-busy', 'usage-based-routing', 'latency-based-routing', 'cost-based-routing', 'usage-based-routing-v2'] as const;
export const DEFAULT_ROUTING_STRATEGY = 'simple-shuffle';

/** Why an A/B split would not happen: LiteLLM reads `weight` only in simple-shuffle. */
export function weightsIgnoredReason(strategy: string, where: string): string {
  return `${where} is "${strategy}": LiteLLM reads litellm_params.weight only when routing_strategy is ${DEFAULT_ROUTING_STRATEGY} (router.py calls simple_shuffle for that strategy alone), so the A/B weights would be ignored and the split would not happen`;
}

export interface LitellmDeployment {
  /** Index in model_list. */
  readonly index: number;
  readonly modelName: string;
  readonly model?: string;
  readonly weight?: number;
}

export interface RoutingRequest {
  readonly mode: DeployMode;
  /** replace / ab: the existing model_name; alias: the new one. */
  readonly modelName: string;
  readonly tuned: LitellmParams;
  /** ab: [base, tuned], each ≥ 0, not both 0. */
  readonly weights?: readonly [number, number];
  /** ab: set router_settings.routing_strategy to simple-shuffle when it is another strategy (else the split is refused). */
  readonly setSimpleShuffle?: boolean;
}

export interface RoutingEdit {
  /** The new text (the same text when nothing changes). */
  readonly text: string;
  /** One line per change, e.g. "support-bot[0].litellm_params.model: openai/gpt-4o-mini → openai/ft:…". */
  readonly changes: string[];
  /** ab: the weight each deployment of the group carries now, in model_list order. */
  readonly weights?: { readonly model: string; readonly weight: number }[];
  /** ab with setSimpleShuffle: the strategy that was replaced by simple-shuffle. */
  readonly routingStrategy?: { readonly before: string; readonly after: typeof DEFAULT_ROUTING_STRATEGY };
}

const MERGE = { merge: true } as const;
/** Params that say where and how to reach a model; replace sets them from the tuned model and drops the stale ones. */
export const ENDPOINT_PARAMS: readonly string[] = ['api_base', 'api_key', 'api_version'];

/** The config parsed, or the located YAML error ("config.yaml:4:3: …"). */
export function parseLitellmConfig(text: string, file = 'config.yaml'): { doc: Document.Parsed; deployments: LitellmDeployment[] } {
  const doc = parseDocument(text, MERGE);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new LitellmConfigInputError(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  // An empty file is an empty config; anything else must be a mapping (model_list:, router_settings:, …).
  if (doc.contents !== null && !isMap(doc.contents))
    throw new LitellmConfigInputError(`${file}: the config is ${describeNode(doc.contents)}, not a mapping of settings (expected model_list: and the rest of a LiteLLM proxy config)`);
  const list = doc.get('model_list', true);
  if (list !== undefined && list !== null && !isSeq(list)) throw new LitellmConfigInputError(`${file}: model_list is not a list`);
  const deployments: LitellmDeployment[] = [];
  (isSeq(list) ? list.items : []).forEach((item, index) => {
    const value = resolve(doc, item as Node);
    const entry = isMap(value) ? (value.toJS(doc) as Record<string, unknown>) : undefined;
    const params = entry?.litellm_params as Record<string, unknown> | undefined;
    if (typeof entry?.model_name !== 'string') return;
    deployments.push({
      index,
      modelName: entry.model_name,
      ...(typeof params?.model === 'string' ? { model: params.model } : {}),
      ...(typeof params?.weight === 'number' ? { weight: params.weight } : {}),
    });
  });
  return { doc, deployments };
}

function describeNode(node: unknown): string {
  if (isScalar(node))
    return node.value === null
      ? 'null'
      : typeof node.value === 'string'
        ? `a plain string ("${node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value}")`
        : `a ${typeof node.value} (${String(node.value)})`;
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  return 'not a mapping';
}

/** The model_names that exist, in order. */
export const modelNames = (deployments: readonly LitellmDeployment[]) => [...new Set(deployments.map((d) => d.modelName))];

export function planRouting(text: string, request: RoutingRequest, file = 'config.yaml'): RoutingEdit {
  const { doc, deployments } = parseLitellmConfig(text, file);
  const intended = (doc.toJS(MERGE) ?? {}) as { model_list?: Record<string, unknown>[] };
  const splicer = new Splicer(text);
  const changes: string[] = [];
  const group = deployments.filter((d) => d.modelName === request.modelName);
  const list = doc.get('model_list', true) as Node | undefined;
  const items = isSeq(list) ? (list.items as Node[]) : [];
  const intendedList = (intended.model_list ??= []);
  let weights: RoutingEdit['weights'];
  let routingStrategy: RoutingEdit['routingStrategy'];

  if (request.mode === 'alias') {
    if (group.length > 0) throw new LitellmConfigError(`${file}: model_name "${request.modelName}" exists already; choose another --alias, or use --mode replace`);
    appendDeployment(splicer, text, list, items.length - 1, request.modelName, request.tuned, file);
    intendedList.push({ model_name: request.modelName, litellm_params: { ...request.tuned } });
    changes.push(`+ ${request.modelName}: ${request.tuned.model}`);
  } else {
    if (group.length === 0) throw new LitellmConfigInputError(`${file}: no model_name "${request.modelName}" in model_list; the names are: ${modelNames(deployments).join(', ') || '(none)'}`);
    if (request.mode === 'replace') {
      for (const deployment of group) {
        const target: Record<string, string | number> = { ...request.tuned };
        editParams(splicer, doc, items[deployment.index], target, ENDPOINT_PARAMS, `${request.modelName}[${deployment.index}]`, changes);
        applyIntended(intendedList[deployment.index], target, ENDPOINT_PARAMS);
      }
    } else {
      routingStrategy = checkRoutingStrategy(splicer, doc, intended as Record<string, unknown>, request.setSimpleShuffle === true, file, changes);
      // LiteLLM's router_strategy/simple_shuffle.py (BerriAI/litellm) reads `healthy_deployments[0]["litellm_params"]
      // .get("weight")` and only when that is set picks by `[m["litellm_params"].get("weight", 0) for m in …]`: a
      // weight on some members only is ignored or counts as 0, so every deployment of the group gets one.
      const [baseWeight, tunedWeight] = request.weights ?? [90, 10];
      const existingTuned = group.filter((d) => d.model === request.tuned.model);
      const bases = group.filter((d) => d.model !== request.tuned.model);
      if (bases.length === 0) throw new LitellmConfigError(`${file}: "${request.modelName}" has only the tuned model; an A/B test needs a base deployment`);
      const perBase = round(baseWeight / bases.length);
      const perTuned = round(tunedWeight / Math.max(existingTuned.length, 1));
      weights = [];
      for (const deployment of group) {
        const weight = bases.includes(deployment) ? perBase : perTuned;
        editParams(splicer, doc, items[deployment.index], { weight }, [], `${request.modelName}[${deployment.index}]`, changes);
        applyIntended(intendedList[deployment.index], { weight }, []);
        weights.push({ model: deployment.model ?? '', weight });
      }
      if (existingTuned.length === 0) {
        const last = group[group.length - 1].index;
        const params = { ...request.tuned, weight: perTuned };
        appendDeployment(splicer, text, list, last, request.modelName, params, file);
        intendedList.splice(last + 1, 0, { model_name: request.modelName, litellm_params: params });
        changes.push(`+ ${request.modelName}: ${request.tuned.model} (weight ${perTuned})`);
        weights.push({ model: String(request.tuned.model), weight: perTuned });
      }
    }
  }
  const edited = splicer.apply();
  const check = parseDocument(edited, MERGE);
  if (check.errors.length > 0 || !isDeepStrictEqual(withoutNulls(check.toJS(MERGE)), withoutNulls(intended)))
    throw new LitellmConfigError(`${file}: the edit could not be made without changing other parts of the file (its layout is unusual here); edit it by hand`);
  return { text: edited, changes, ...(weights ? { weights } : {}), ...(routingStrategy ? { routingStrategy } : {}) };
}

/** router_settings.routing_strategy as written (undefined: not set, so LiteLLM's default simple-shuffle). */
export function routingStrategyOf(doc: Document.Parsed): unknown {
  const settings = doc.toJS(MERGE)?.router_settings as Record<string, unknown> | undefined | null;
  return settings && typeof settings === 'object' && 'routing_strategy' in settings ? settings.routing_strategy : undefined;
}

/** The strategy as a message names it ("null" for an empty value). */
const strategyText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/**
 * ab only: a strategy other than simple-shuffle ignores the weights, so the split is refused — or, with
 * setSimpleShuffle, routing_strategy's scalar is set to simple-shuffle (its comment kept).
 */
function checkRoutingStrategy(splicer: Splicer, doc: Document.Parsed, intended: Record<string, unknown>, setSimpleShuffle: boolean, file: string, changes: string[]): RoutingEdit['routingStrategy'] {
  const strategy = routingStrategyOf(doc);
  if (strategy === undefined || strategy === DEFAULT_ROUTING_STRATEGY) return undefined;
  const where = `${file}: router_settings.routing_strategy`;
  if (!setSimpleShuffle)
    throw new DeployDecisionError(
      `${weightsIgnoredReason(strategyText(strategy), where)}. Pass --set-simple-shuffle to set routing_strategy to ${DEFAULT_ROUTING_STRATEGY} (it then applies to every model group of this proxy), or use --mode alias; ${file} was not changed`,
    );
  const settings = resolve(doc, doc.get('router_settings', true) as Node | undefined);
  const pair = isMap(settings) ? ownPair(settings, 'routing_strategy') : undefined;
  const value = pair?.value as Node | null | undefined;
  if (!pair || !value || !isScalar(value) || !value.range)
    throw new LitellmConfigError(`${where} cannot be edited here (an alias, a merged map or an empty value): set it to ${DEFAULT_ROUTING_STRATEGY} by hand`);
  splicer.replace(value.range[0], value.range[1], scalarText(DEFAULT_ROUTING_STRATEGY, value.type));
  (intended.router_settings as Record<string, unknown>).routing_strategy = DEFAULT_ROUTING_STRATEGY;
  changes.push(
    `router_settings.routing_strategy: ${strategyText(strategy)} → ${DEFAULT_ROUTING_STRATEGY} (every model group of this proxy is now routed by ${DEFAULT_ROUTING_STRATEGY}, which reads weight)`,
  );
  return { before: strategyText(strategy), after: DEFAULT_ROUTING_STRATEGY };
}

/** LiteLLM reads a null param as an absent one (a key inherited through a merge is overridden with null). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  return value;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** Parse the --weights text "90,10": two numbers ≥ 0 that do not sum to 0. */
export function parseWeights(text: string): [number, number] {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 2 || parts.some((part) => part === '') || numbers.some((n) => !Number.isFinite(n) || n < 0))
    throw new LitellmConfigInputError(`--weights needs two numbers ≥ 0 for base and tuned, e.g. 90,10; got "${text}"`);
  if (numbers[0] + numbers[1] === 0) throw new LitellmConfigInputError(`--weights "${text}" sum to 0: no deployment would get traffic`);
  return [numbers[0], numbers[1]];
}

/** A key in a params value that is a literal secret rather than os.environ/NAME. */
export function literalSecret(params: LitellmParams): string | undefined {
  return Object.entries(params).find(([key, value]) => /(^|_)(api_key|key|token|secret|password)$/.test(key) && typeof value === 'string' && !value.startsWith('os.environ/'))?.[0];
}

function applyIntended(entry: Record<string, unknown> | undefined, target: Record<string, string | number>, dropped: readonly string[]): void {
  if (!entry) return;
  // a copy: toJS shares one object between an anchor and its aliases, and only this entry changes
  const params = { ...((entry.litellm_params as Record<string, unknown> | undefined) ?? {}) };
  entry.litellm_params = params;
  for (const key of dropped) if (!(key in target) && key in params) delete params[key];
  Object.assign(params, target);
}

/** Sets `target`'s keys in the deployment's litellm_params and drops `dropped` ones it does not set. */
function editParams(splicer: Splicer, doc: Document.Parsed, item: Node, target: Record<string, string | number>, dropped: readonly string[], where: string, changes: string[]): void {
  const entry = resolve(doc, item);
  if (!isMap(entry)) throw new LitellmConfigError(`${where} is not a mapping`);
  const paramsPair = entry.items.find((pair) => isScalar(pair.key) && pair.key.value === 'litellm_params');
  if (!paramsPair) throw new LitellmConfigError(`${where} has no litellm_params`);
  const resolved = (resolve(doc, paramsPair.value as Node)?.toJS(doc) ?? {}) as Record<string, unknown>;
  const wanted = Object.entries(target).filter(([key, value]) => resolved[key] !== value);
  const removed = dropped.filter((key) => !(key in target) && resolved[key] !== undefined && resolved[key] !== null);
  if (wanted.length === 0 && removed.length === 0) return;
  for (const [key, value] of wanted) changes.push(`${where}.litellm_params.${key}: ${resolved[key] === undefined ? '(none)' : String(resolved[key])} → ${value}`);
  for (const key of removed) changes.push(`${where}.litellm_params.${key}: ${String(resolved[key])} → (removed)`);
  const params = paramsPair.value as Node;
  if (isAlias(params) || !isMap(params)) {
    // an anchor shared with other entries: this entry gets its own map that merges the anchor, so the others keep theirs
    const indent = ' '.repeat(column(splicer.source, (paramsPair.key as Node).range![0]) + 2);
    const lines = [...(isAlias(params) ? [`<<: *${params.source}`] : []), ...wanted.map(([key, value]) => `${key}: ${scalarText(value)}`), ...removed.map((key) => `${key}: null`)];
    let start = params.range![0];
    while (splicer.source[start - 1] === ' ') start--;
    splicer.replace(start, params.range![1], `\n${lines.map((line) => indent + line).join('\n')}`);
    return;
  }
  for (const [key, value] of wanted) {
    const pair = ownPair(params, key);
    const current = pair?.value as Node | null | undefined;
    if (current) splicer.replace(current.range![0], current.range![1], scalarText(value, isScalar(current) ? current.type : undefined));
    else addPair(splicer, params, key, scalarText(value));
  }
  for (const key of removed) {
    const pair = ownPair(params, key);
    if (pair) removePair(splicer, params, pair);
    else addPair(splicer, params, key, 'null'); // inherited through a merge key: overridden
  }
}

function removePair(splicer: Splicer, map: YAMLMap, pair: Pair): void {
  const end = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node).range![1];
  if (!map.flow) return splicer.removeLines((pair.key as Node).range![0], end);
  // inline { a: 1, b: 2 }: the pair and the comma before it (after it, for the first)
  const index = map.items.indexOf(pair);
  const previous = map.items[index - 1];
  if (previous) splicer.replace(((previous.value as Node | null)?.range ?? (previous.key as Node).range!)[1], end, '');
  else splicer.replace((pair.key as Node).range![0], map.items[1] ? (map.items[1].key as Node).range![0] : end, '');
}

function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined;
}

function addPair(splicer: Splicer, map: YAMLMap, key: string, value: string): void {
  const last = map.items[map.items.length - 1];
  const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
  if (map.flow) return splicer.replace(end, end, `, ${key}: ${value}`);
  const indent = ' '.repeat(column(splicer.source, (map.items[0].key as Node).range![0]));
  splicer.insertLineAfter(end, `${indent}${key}: ${value}`);
}

/** A new model_list entry after item `after` (at the end when it is the last one), indented like its neighbours. */
function appendDeployment(splicer: Splicer, text: string, list: Node | undefined, after: number, modelName: string, params: LitellmParams, file: string): void {
  const items = isSeq(list) ? (list.items as Node[]) : [];
  const body = (dash: string, inner: string, step: string) => [
    `${dash}- model_name: ${scalarText(modelName)}`,
    `${inner}litellm_params:`,
    ...Object.entries(params).map(([key, value]) => `${inner}${step}${key}: ${scalarText(value)}`),
  ];
  if (!isSeq(list) || items.length === 0) {
    if (isSeq(list) && list.flow) throw new LitellmConfigError(`${file}: model_list is an inline [ ] list; write it as a block list to edit it`);
    const lines = body('  ', '    ', '  ');
    if (isSeq(list)) splicer.replace(list.range![0], list.range![1], `\n${lines.join('\n')}`);
    else splicer.append(`model_list:\n${lines.join('\n')}\n`);
    return;
  }
  if (list.flow) throw new LitellmConfigError(`${file}: model_list is an inline [ ] list; write it as a block list to edit it`);
  const anchor = items[after];
  const dashColumn = column(text, text.lastIndexOf('-', anchor.range![0]));
  const innerColumn = column(text, anchor.range![0]);
  const nested = isMap(anchor) ? anchor.items.find((pair) => isScalar(pair.key) && pair.key.value === 'litellm_params')?.value : undefined;
  const step = isMap(nested) && !nested.flow && nested.items[0] ? column(text, (nested.items[0].key as Node).range![0]) - innerColumn : 2;
  splicer.insertLineAfter(anchor.range![1], body(' '.repeat(dashColumn), ' '.repeat(innerColumn), ' '.repeat(step)).join('\n'));
}

function resolve(doc: Document.Parsed, node: Node | null | undefined): Node | undefined {
  if (!node) return undefined;
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

function column(text: string, index: number): number {
  return index - (text.lastIndexOf('\n', index - 1) + 1);
}

/** A scalar as YAML: plain when that reads back as the same string (in YAML 1.1 too), else double-quoted. */
export function scalarText(value: string | number | null, style?: string): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  const plain = /^[A-Za-z_/][A-Za-z0-9_./@+-]*(\/[A-Za-z0-9_.:@+-]*)?$/.test(value) && !value.includes(':') && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value);
  return style !== 'QUOTE_DOUBLE' && plain ? value : JSON.stringify(value);
}

/** Text edits by source offset, applied from the end so earlier offsets stay valid. */
class Splicer {
  private readonly edits: { start: number; end: number; text: string; order: number }[] = [];

  constructor(readonly source: string) {}

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, order: this.edits.length });
  }

  /** A whole line after the line that holds `index` (after its comment). */
  insertLineAfter(index: number, line: string): void {
    const at = this.lineEnd(index - (index > 0 && this.source[index - 1] === '\n' ? 1 : 0));
    const newline = at > 0 && this.source[at - 1] !== '\n' ? '\n' : '';
    this.replace(at, at, `${newline}${line}\n`);
  }

  /** The lines from the one holding `start` to the one holding `end`. */
  removeLines(start: number, end: number): void {
    this.replace(this.source.lastIndexOf('\n', start - 1) + 1, this.lineEnd(end - (end > start && this.source[end - 1] === '\n' ? 1 : 0)), '');
  }

  append(text: string): void {
    const newline = this.source.length > 0 && !this.source.endsWith('\n') ? '\n' : '';
    this.replace(this.source.length, this.source.length, newline + text);
  }

  apply(): string {
    let text = this.source;
    for (const edit of [...this.edits].sort((a, b) => b.start - a.start || b.order - a.order)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    return text;
  }

  private lineEnd(index: number): number {
    const next = this.source.indexOf('\n', index);
    return next === -1 ? this.source.length : next + 1;
  }
}
