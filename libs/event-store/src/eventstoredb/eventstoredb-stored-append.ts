import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type { Position } from '../position';

/** An event of a stream as far as telling a repeated append needs it. */
export type StoredEventRef = Readonly<{ id: string; revision: number; position: Position }>;

/**
 * What the events read so far say about appending `ids` again:
 * - `stored`: all of them are stored; `result` is that earlier append's (its last event);
 * - `conflict`: only some are stored (EventIdConflictError);
 * - `absent`: none is stored, as far as the search goes;
 * - `read-further`: older events must be read to tell.
 */
export type StoredAppendVerdict =
  | Readonly<{ kind: 'stored'; result: AppendResult }>
  | Readonly<{ kind: 'conflict' }>
  | Readonly<{ kind: 'absent' }>
  | Readonly<{ kind: 'read-further' }>;

/**
 * Judges a stream read backwards (`read` holds the events read so far, in any order; `reachedStart` says
 * nothing older exists). Once one of the ids is found, the search goes on until all are or the stream starts.
 * With none found, `scope` decides: `tail` (the check before an append, which must stay cheap) takes them as
 * absent, `stream` (the search after the server refused or acknowledged an append) reads on to the start.
 * An event stored twice (by an append the server did not deduplicate) answers with its first copy.
 */
export const judgeStoredAppend = (
  ids: readonly string[],
  read: readonly StoredEventRef[],
  reachedStart: boolean,
  scope: 'tail' | 'stream',
): StoredAppendVerdict => {
  const wanted = new Set(ids);
  const firstCopies = new Map<string, StoredEventRef>();
  for (const event of read) {
    if (!wanted.has(event.id)) continue;
    const seen = firstCopies.get(event.id);
    if (!seen || event.revision < seen.revision) firstCopies.set(event.id, event);
  }
  if (firstCopies.size === wanted.size) {
    const last = [...firstCopies.values()].reduce((a, b) => (b.revision > a.revision ? b : a));
    return {
      kind: 'stored',
      result: { nextExpectedRevision: last.revision, position: last.position, alreadyStored: true },
    };
  }
  if (!reachedStart && (firstCopies.size > 0 || scope === 'stream')) return { kind: 'read-further' };
  return firstCopies.size > 0 ? { kind: 'conflict' } : { kind: 'absent' };
};

/**
 * Where an earlier append of the same events under the same expectation put its first event: right after the
 * revision expected (the stream's start for `no_stream`). `any` and `stream_exists` imply no place.
 */
export const impliedFirstRevision = (expected: ExpectedRevision): number | undefined => {
  if (expected === 'any' || expected === 'stream_exists') return undefined;
  if (expected === 'no_stream') return 0;
  return Math.max(expected, -1) + 1;
};

/** The earlier append's result if `atImplied` (read forwards from the implied revision) holds exactly `ids`. */
export const storedAt = (
  ids: readonly string[],
  atImplied: readonly StoredEventRef[],
): AppendResult | undefined => {
  const last = atImplied[ids.length - 1];
  if (atImplied.length !== ids.length || !last || ids.some((id, i) => atImplied[i]?.id !== id))
    return undefined;
  return { nextExpectedRevision: last.revision, position: last.position, alreadyStored: true };
};

/**
 * Whether an append must look at the stream's tail before writing, because the server would write a repeat
 * of stored events again. EventStoreDB's IndexWriter.CheckCommit deduplicates by event id for `any` and
 * `stream_exists` only through a bounded in-memory cache of recent ids (empty after a restart), and for a
 * revision only when it is below the current one (it then reads the events after it). A repeat expecting the
 * current revision (or `any`, `stream_exists`) is written again. `no_stream` needs no look: either the stream
 * does not exist, so nothing of it is stored, or it does and the server checks the events from revision 0.
 */
export const needsTailCheck = (expected: ExpectedRevision): boolean =>
  expected !== 'no_stream' && !(typeof expected === 'number' && expected < 0);
