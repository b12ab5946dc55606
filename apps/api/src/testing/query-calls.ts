import request from 'supertest';
import type { ApiTestApp } from './api-test-app';
import { lastEventOf } from './command-calls';
import { CALLER_KINDS, type CallerKind, type TestContract } from './contract-fixture';

export type Page<Item> = { items: Item[]; nextCursor: string | null };

export type QueryOptions = Readonly<{ token?: string; minPosition?: string; ifNoneMatch?: string }>;

/** A GET as the holder of `token` (none: anonymous), with X-Min-Position and If-None-Match when given. */
export const sendQuery = (api: ApiTestApp, path: string, options: QueryOptions = {}): request.Test => {
  let call = request(api.server).get(path);
  if (options.token !== undefined) call = call.set('Authorization', `Bearer ${options.token}`);
  if (options.minPosition !== undefined) call = call.set('X-Min-Position', options.minPosition);
  if (options.ifNoneMatch !== undefined) call = call.set('If-None-Match', options.ifNoneMatch);
  return call;
};

/**
 * The position of a stream's last event: what a query waits for to see a write a fixture made without HTTP. (The
 * log's head will not do: it is the last position no transaction anywhere on the server can still precede, which
 * may lag behind writes already made.)
 */
export const positionAfter = async (api: ApiTestApp, stream: string): Promise<string> =>
  (await lastEventOf(api, stream)).position;

/** Every page of a list, `limit` items at a time, following nextCursor to the end (from `cursor` when given). */
export const readEveryPage = async <Item>(
  api: ApiTestApp,
  path: string,
  options: QueryOptions & Readonly<{ limit: number; cursor?: string | null }>,
): Promise<{ pages: Page<Item>[]; items: Item[] }> => {
  const pages: Page<Item>[] = [];
  let cursor: string | null = options.cursor ?? null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${options.limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = (await sendQuery(api, url, options).expect(200)).body as Page<Item>;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pages, items: pages.flatMap((page) => page.items) };
};

/** The status each kind of caller gets for `path` on the fixture's contract. */
export const statusByCaller = async (
  api: ApiTestApp,
  contract: TestContract,
  path: string,
  minPosition?: string,
): Promise<Record<CallerKind, number>> => {
  const statuses: Partial<Record<CallerKind, number>> = {};
  for (const kind of CALLER_KINDS) {
    const response = await sendQuery(api, path, {
      token: contract.tokens[kind],
      ...(minPosition === undefined ? {} : { minPosition }),
    });
    statuses[kind] = response.status;
  }
  return statuses as Record<CallerKind, number>;
};

/** Who reads what the permission guards: members holding it (the owner holds all), support, billing, admin. */
export const PERMISSION_HOLDERS_AND_STAFF: Readonly<Record<CallerKind, number>> = {
  owner: 200,
  memberWithPermission: 200,
  memberWithoutPermission: 403,
  nonMember: 404,
  support: 200,
  billing: 200,
  admin: 200,
  auditor: 403,
  analyst: 403,
};

/** Who reads what every member may see: any member, support, billing, admin. */
export const MEMBERS_AND_STAFF: Readonly<Record<CallerKind, number>> = {
  ...PERMISSION_HOLDERS_AND_STAFF,
  memberWithoutPermission: 200,
};

/**
 * Waits for a read model to reach `minPosition` after a bulk load, longer than one request's 5 s: asks again
 * while the answer is 503 STALE_READ_MODEL, up to `attempts` times.
 */
export const untilReadModelReaches = async (
  api: ApiTestApp,
  path: string,
  options: QueryOptions & Readonly<{ minPosition: string }>,
  attempts = 12,
): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const response = await sendQuery(api, path, options);
    if (response.status !== 503 || attempt === attempts) {
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      return;
    }
  }
};
