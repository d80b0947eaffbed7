import { invalidValue } from './errors';

export interface ListPage<T> {
  readonly object: 'list';
  readonly data: T[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}

export interface ListQuery {
  readonly after?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}

export function readListQuery(query: URLSearchParams, defaults: { limit: number; maxLimit: number; order: 'asc' | 'desc' }): ListQuery {
  const limitText = query.get('limit');
  let limit = defaults.limit;
  if (limitText !== null) {
    limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw invalidValue('limit', `expected a positive integer, got '${limitText}'.`);
    limit = Math.min(limit, defaults.maxLimit);
  }
  const order = query.get('order') ?? defaults.order;
  if (order !== 'asc' && order !== 'desc') throw invalidValue('order', `expected 'asc' or 'desc', got '${order}'.`);
  return { after: query.get('after') ?? undefined, limit, order };
}

/** A cursor page over items already in list order: the items after `after`, at most `limit`. */
export function paginate<T extends { readonly id: string }>(items: readonly T[], query: Pick<ListQuery, 'after' | 'limit'>): ListPage<T> {
  let start = 0;
  if (query.after !== undefined) {
    const index = items.findIndex((item) => item.id === query.after);
    if (index < 0) throw invalidValue('after', `no object with id '${query.after}' in this list.`);
    start = index + 1;
  }
  const data = items.slice(start, start + query.limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + query.limit < items.length,
  };
}

/** Items in creation order (`created`, then insertion), reversed for `desc`. */
export function ordered<T>(items: readonly T[], createdOf: (item: T) => number, order: 'asc' | 'desc'): T[] {
  const sorted = items.map((item, index) => ({ item, index })).sort((a, b) => createdOf(a.item) - createdOf(b.item) || a.index - b.index);
  const result = sorted.map(({ item }) => item);
  return order === 'asc' ? result : result.reverse();
}
