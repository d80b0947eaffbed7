// `calculate_output` of multi graders (docs/grader.md §Semantics): numbers, the graders' names, + - * / ^, parentheses and
// min max abs floor ceil exp sqrt log. Parsed into a tree once (never eval); errors name the column.

export class FormulaError extends Error {
  readonly code = 'formula_parse_error';
  constructor(
    readonly reason: string,
    /** 1-based column in the formula. */
    readonly column: number,
    formula: string,
  ) {
    super(`calculate_output, column ${column}: ${reason} (in "${formula}")`);
  }
}

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string; readonly at: number }
  | { readonly kind: 'negate'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: '+' | '-' | '*' | '/' | '^'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: Node[] };

const FUNCTIONS = {
  min: (args: number[]) => Math.min(...args),
  max: (args: number[]) => Math.max(...args),
  abs: ([x]: number[]) => Math.abs(x),
  floor: ([x]: number[]) => Math.floor(x),
  ceil: ([x]: number[]) => Math.ceil(x),
  exp: ([x]: number[]) => Math.exp(x),
  sqrt: ([x]: number[]) => Math.sqrt(x),
  log: ([x]: number[]) => Math.log(x),
} as const;
type FunctionName = keyof typeof FUNCTIONS;
const VARIADIC: ReadonlySet<string> = new Set(['min', 'max']);

interface Token {
  readonly text: string;
  readonly kind: 'number' | 'name' | 'symbol' | 'end';
  readonly at: number;
}

export interface Formula {
  readonly source: string;
  /** The grader names it uses. */
  readonly names: ReadonlySet<string>;
  evaluate(values: Readonly<Record<string, number>>): number;
  /** The same formula as a Python expression over `scores["name"]`, with the JS helpers of the compiled module (`_div`, `_pow`, `_fn`). */
  toPython(): string;
}

export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (reason: string, token = peek()): never => {
    throw new FormulaError(reason, token.at + 1, source);
  };
  const expect = (text: string) => (peek().text === text ? tokens[position++] : fail(`expected "${text}"${describeFound(peek())}`));

  const additive = (): Node => {
    let node = multiplicative();
    while (peek().text === '+' || peek().text === '-') {
      const operator = tokens[position++].text as '+' | '-';
      node = { kind: 'binary', operator, left: node, right: multiplicative() };
    }
    return node;
  };
  const multiplicative = (): Node => {
    let node = unary();
    while (peek().text === '*' || peek().text === '/') {
      const operator = tokens[position++].text as '*' | '/';
      node = { kind: 'binary', operator, left: node, right: unary() };
    }
    return node;
  };
  const unary = (): Node => {
    if (peek().text === '-') return (position++, { kind: 'negate', operand: unary() });
    if (peek().text === '+') return (position++, unary());
    return power();
  };
  const power = (): Node => {
    const base = primary();
    if (peek().text !== '^') return base;
    position++;
    return { kind: 'binary', operator: '^', left: base, right: unary() };
  };
  const primary = (): Node => {
    const token = peek();
    if (token.kind === 'number') return (position++, { kind: 'number', value: Number(token.text) });
    if (token.text === '(') {
      position++;
      const inner = additive();
      expect(')');
      return inner;
    }
    if (token.kind === 'name') {
      position++;
      if (peek().text !== '(') return { kind: 'name', name: token.text, at: token.at };
      if (!(token.text in FUNCTIONS)) fail(`unknown function "${token.text}" (known: ${Object.keys(FUNCTIONS).join(', ')})`, token);
      position++;
      const args = [additive()];
      while (peek().text === ',') {
        position++;
        args.push(additive());
      }
      expect(')');
      if (!VARIADIC.has(token.text) && args.length !== 1) fail(`${token.text}() takes one argument, got ${args.length}`, token);
      return { kind: 'call', name: token.text as FunctionName, args };
    }
    return fail(`expected a number, a grader name or "("${describeFound(token)}`);
  };

  const tree = additive();
  if (peek().kind !== 'end') fail(`unexpected "${peek().text}"`);
  const names = new Set<string>();
  collectNames(tree, names);
  return { source, names, evaluate: (values) => evaluate(tree, values), toPython: () => pythonOf(tree) };
}

/** Throws FormulaError when the formula names something that is not one of `known`. */
export function checkFormulaNames(source: string, known: readonly string[]): Formula {
  const formula = parseFormula(source);
  const unknown = findNames(source).find((token) => !known.includes(token.text));
  if (unknown) throw new FormulaError(`"${unknown.text}" is not one of the graders (${known.join(', ')})`, unknown.at + 1, source);
  return formula;
}

function findNames(source: string): Token[] {
  const tokens = tokenize(source);
  return tokens.filter((token, index) => token.kind === 'name' && tokens[index + 1]?.text !== '(');
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) {
      const offset = at + (/^\s*/.exec(source.slice(at))?.[0].length ?? 0);
      throw new FormulaError(`unexpected character "${source[offset]}"`, offset + 1, source);
    }
    const text = match[1] ?? match[2] ?? match[3];
    tokens.push({ text, kind: match[1] !== undefined ? 'number' : match[2] !== undefined ? 'name' : 'symbol', at: match.index + match[0].length - text.length });
    at = pattern.lastIndex;
  }
  tokens.push({ text: '', kind: 'end', at: source.length });
  return tokens;
}

function describeFound(token: Token): string {
  return token.kind === 'end' ? ', found the end' : `, found "${token.text}"`;
}

function collectNames(node: Node, into: Set<string>): void {
  if (node.kind === 'name') into.add(node.name);
  else if (node.kind === 'negate') collectNames(node.operand, into);
  else if (node.kind === 'binary') {
    collectNames(node.left, into);
    collectNames(node.right, into);
  } else if (node.kind === 'call') node.args.forEach((arg) => collectNames(arg, into));
}

function evaluate(node: Node, values: Readonly<Record<string, number>>): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'name': {
      const value = values[node.name];
      if (value === undefined) throw new Error(`calculate_output uses "${node.name}", which has no score`);
      return value;
    }
    case 'negate':
      return -evaluate(node.operand, values);
    case 'call':
      return FUNCTIONS[node.name](node.args.map((arg) => evaluate(arg, values)));
    case 'binary': {
      const [left, right] = [evaluate(node.left, values), evaluate(node.right, values)];
      if (node.operator === '+') return left + right;
      if (node.operator === '-') return left - right;
      if (node.operator === '*') return left * right;
      if (node.operator === '/') return left / right;
      return left ** right;
    }
  }
}

/** Python that computes exactly what `evaluate` does (IEEE division and powers, JS Math semantics). */
function pythonOf(node: Node): string {
  switch (node.kind) {
    case 'number':
      return `float(${JSON.stringify(node.value)})`;
    case 'name':
      return `scores[${JSON.stringify(node.name)}]`;
    case 'negate':
      return `(-${pythonOf(node.operand)})`;
    case 'call':
      return `_fn(${JSON.stringify(node.name)}, ${node.args.map(pythonOf).join(', ')})`;
    case 'binary': {
      const [left, right] = [pythonOf(node.left), pythonOf(node.right)];
      if (node.operator === '/') return `_div(${left}, ${right})`;
      if (node.operator === '^') return `_pow(${left}, ${right})`;
      return `(${left} ${node.operator} ${right})`;
    }
  }
}
