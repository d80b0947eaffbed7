/** USD per million tokens (input, output) for models we know; others are counted in tokens only. */
export const PRICES: Readonly<Record<string, readonly [number, number]>> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'o4-mini': [1.1, 4.4],
  'o3-mini': [1.1, 4.4],
  'gpt-5': [1.25, 10],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
  'text-embedding-3-small': [0.02, 0],
  'text-embedding-3-large': [0.13, 0],
};

/** Dated snapshots ("gpt-4o-2024-08-06") cost what their family costs. */
export function priceOf(model: string): readonly [number, number] | undefined {
  if (PRICES[model]) return PRICES[model];
  const family = Object.keys(PRICES)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family ? PRICES[family] : undefined;
}
