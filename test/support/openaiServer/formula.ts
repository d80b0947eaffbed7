// The `calculate_output` formulas of multi graders: numbers, grader names, + - * / ^, parentheses and a few functions.

export class FormulaError extends Error {}

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'unary'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: string; readonly left: Node; readonly right: Node }
  | { readonly kind: 'call'; readonly name: string; readonly args: Node[] };

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  exp: Math.exp,
  sqrt: Math.sqrt,
  log: Math.log,
};

export interface Formula {
  readonly variables: ReadonlySet<string>;
  evaluate(values: Readonly<Record<string, number>>): number;
}

export function parseFormula(source: string): Formula {
  const tokens = source.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|\*\*|[-+*/^(),]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new FormulaError(`Could not parse formula '${source}': expected ${expected ?? 'a value'} at token ${position + 1}.`);
    }
    position += 1;
    return token;
  };
  const variables = new Set<string>();

  const primary = (): Node => {
    const token = take();
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (token === '-') return { kind: 'unary', operand: power() };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== '(') {
        variables.add(token);
        return { kind: 'variable', name: token };
      }
      if (!FUNCTIONS[token]) throw new FormulaError(`Unknown function '${token}' in formula '${source}'.`);
      take('(');
      const args = [sum()];
      while (peek() === ',') {
        take(',');
        args.push(sum());
      }
      take(')');
      return { kind: 'call', name: token, args };
    }
    throw new FormulaError(`Could not parse formula '${source}': unexpected '${token}'.`);
  };
  const power = (): Node => {
    const base = primary();
    if (peek() === '^' || peek() === '**') return { kind: 'binary', operator: '^', left: base, right: (take(), power()) };
    return base;
  };
  const product = (): Node => {
    let node = power();
    while (peek() === '*' || peek() === '/') node = { kind: 'binary', operator: take(), left: node, right: power() };
    return node;
  };
  const sum = (): Node => {
    let node = product();
    while (peek() === '+' || peek() === '-') node = { kind: 'binary', operator: take(), left: node, right: product() };
    return node;
  };

  const tree = sum();
  if (position !== tokens.length) throw new FormulaError(`Could not parse formula '${source}': unexpected '${tokens[position]}'.`);
  return { variables, evaluate: (values) => evaluate(tree, values) };
}

function evaluate(node: Node, values: Readonly<Record<string, number>>): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'variable':
      if (!(node.name in values)) throw new FormulaError(`Unknown variable '${node.name}' in formula.`);
      return values[node.name];
    case 'unary':
      return -evaluate(node.operand, values);
    case 'call':
      return FUNCTIONS[node.name](...node.args.map((arg) => evaluate(arg, values)));
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
