import { sql, type Kysely } from 'kysely';

/**
 * Who holds which projection among several worker processes. On a Postgres server a session advisory lock per
 * projection, taken on one connection the lease keeps open: when the process dies, the connection goes and the
 * locks with it, so another worker takes over. Embedded PGlite is one process: it always holds.
 *
 * A lock is named after the connection's schema as well as the projection: advisory locks belong to the whole
 * database, and the workers of another schema on it (another deployment, a test, a benchmark) follow their own
 * read models. Named after the projection alone, one schema's worker kept another's from its projections.
 */
export interface ProjectionLease {
  tryAcquire(projection: string): Promise<boolean>;
  release(projection: string): Promise<void>;
  close(): Promise<void>;
}

export const soleLease = (): ProjectionLease => ({
  tryAcquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
  close: () => Promise.resolve(),
});

/** Separates the projection locks from the event store's per-stream locks (class 1702). */
export const PROJECTION_LOCK_CLASS = 1703;

/** The lock's second key: the projection's name within the connection's schema. */
const lockKey = (projection: string) => sql`hashtext(current_schema() || '.' || ${projection})`;

export type AdvisoryLockLeaseOptions = Readonly<{
  /**
   * How long a lock this lease took is trusted before the database is asked again; default 1 s. A runner asks
   * before every step, which under load was a query per projection and per append. A lock lost meanwhile (its
   * connection cut) is noticed at the next check; until then the checkpoint's compare-and-set keeps the holder
   * from applying what another worker already did.
   */
  recheckMs?: number;
}>;

/** Advisory locks on one pinned connection of `db`'s pool. */
export const advisoryLockLease = (
  db: Kysely<unknown>,
  options: AdvisoryLockLeaseOptions = {},
): ProjectionLease => {
  const recheckMs = options.recheckMs ?? 1_000;
  let pinned:
    | Promise<{ run: <T>(query: (conn: Kysely<unknown>) => Promise<T>) => Promise<T>; end: () => void }>
    | undefined;
  const connection = () =>
    (pinned ??= new Promise((resolvePinned, rejectPinned) => {
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      db.connection()
        .execute(async (conn) => {
          let queue = Promise.resolve() as Promise<unknown>;
          resolvePinned({
            run: <T>(query: (c: Kysely<unknown>) => Promise<T>) => {
              const result = queue.then(() => query(conn));
              queue = result.catch(() => undefined);
              return result;
            },
            end,
          });
          await ended;
        })
        .catch((error: unknown) => {
          forgetConnection();
          rejectPinned(error instanceof Error ? error : new Error(String(error)));
        });
    }));
  // Session advisory locks count: each try by the holder takes it once more, and one unlock gives back only one.
  // A lock already held is taken again and given back in the same statement, so it is held once whatever the
  // runner's loops asked, and `release` really lets it go.
  /** The locks held, with when the database last confirmed each. */
  const heldSince = new Map<string, number>();
  /** The pinned connection is gone, and every lock it held with it. */
  const forgetConnection = () => {
    pinned = undefined;
    heldSince.clear();
  };
  return {
    tryAcquire: async (projection) => {
      const confirmed = heldSince.get(projection);
      const again = confirmed !== undefined;
      if (again && performance.now() - confirmed < recheckMs) return true;
      const current = connection();
      const conn = await current;
      let acquired: boolean;
      try {
        const { rows } = await conn.run((c) =>
          sql<{
            acquired: boolean;
          }>`select pg_try_advisory_lock(${PROJECTION_LOCK_CLASS}, ${lockKey(projection)})
            and (not ${again}::boolean or pg_advisory_unlock(${PROJECTION_LOCK_CLASS}, ${lockKey(projection)}))
            as acquired`.execute(c),
        );
        acquired = rows[0]?.acquired === true;
      } catch {
        // The pinned connection is gone (cut, or its backend terminated), and every lock it held with it: none
        // is held now. The next try asks on a new connection.
        if (pinned === current) {
          forgetConnection();
          conn.end();
        }
        return false;
      }
      if (acquired) heldSince.set(projection, performance.now());
      else heldSince.delete(projection);
      return acquired;
    },
    release: async (projection) => {
      const conn = await connection();
      heldSince.delete(projection);
      await conn.run((c) =>
        sql`select pg_advisory_unlock(${PROJECTION_LOCK_CLASS}, ${lockKey(projection)})`.execute(c),
      );
    },
    close: async () => {
      // The pinned connection goes back to the pool, which may keep it open: its locks must not stay with it.
      if (pinned) {
        const conn = await pinned;
        await conn.run((c) => sql`select pg_advisory_unlock_all()`.execute(c)).catch(() => undefined);
        conn.end();
      }
      forgetConnection();
    },
  };
};
