import { RequestValidationError, type FieldProblem } from '../http';

/** What a list endpoint was asked for: how many items, after which one. */
export type PageRequest = Readonly<{ limit: number; after: string | undefined }>;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Lists answer `{ items, nextCursor }`; the cursor is opaque to clients. */
export type Page<Item> = Readonly<{ items: readonly Item[]; nextCursor: string | null }>;

const encodeCursor = (key: string): string =>
  Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): string | undefined => {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const key = (parsed as { k?: unknown } | null)?.k;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Reads `limit` (default 50, 1 to 500) and `cursor` from a query string; anything else is a 400 naming the
 * parameter, together with `otherProblems` the endpoint found in the rest of the query string. The cursor carries the key of the last item given, so a page is stable however many items are
 * inserted meanwhile.
 */
export const pageRequestOf = (
  query: Readonly<{ limit?: unknown; cursor?: unknown }>,
  otherProblems: readonly FieldProblem[] = [],
): PageRequest => {
  const problems: FieldProblem[] = [...otherProblems];
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    const text = typeof query.limit === 'string' ? query.limit : '';
    limit = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      problems.push({ field: 'limit', message: `limit must be an integer from 1 to ${MAX_LIMIT}` });
    }
  }
  let after: string | undefined;
  if (query.cursor !== undefined) {
    after = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : undefined;
    if (after === undefined)
      problems.push({ field: 'cursor', message: 'cursor must be one this API gave out' });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return { limit, after };
};

/**
 * A page from `limit + 1` rows read in key order: the extra row only tells whether a next page exists.
 */
export const pageOf = <Row, Item>(
  rows: readonly Row[],
  request: PageRequest,
  keyOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Page<Item> => {
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    nextCursor: rows.length > request.limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
};
