import { CompiledQuery, type Compilable, type Kysely, type Transaction } from 'kysely';

/**
 * A table's rows as a batch of events leaves them, folded in memory: loaded once from the database for the keys
 * the batch touches, then changed event by event, and written back once. A key maps to its row, or to nothing when
 * the row is absent (never there, or deleted by the batch); only changed keys are written.
 */
export class KeyedRows<Row> {
  private readonly rows = new Map<string, Row | undefined>();
  private readonly changed = new Map<string, Row>();
  private readonly removed = new Map<string, Row>();

  constructor(private readonly keyOf: (row: Row) => string) {}

  /** Rows as the database holds them, before any event of the batch. */
  load(rows: readonly Row[]): this {
    for (const row of rows) this.rows.set(this.keyOf(row), row);
    return this;
  }

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  /** Every row present now, in no particular order. */
  present(): Row[] {
    return [...this.rows.values()].filter((row): row is Row => row !== undefined);
  }

  put(row: Row): void {
    const key = this.keyOf(row);
    this.rows.set(key, row);
    this.changed.set(key, row);
    this.removed.delete(key);
  }

  /** Like an SQL update: changes the row when present, does nothing when absent. Answers the row changed. */
  update(key: string, change: (row: Row) => Row): Row | undefined {
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    const updated = change(row);
    this.put(updated);
    return updated;
  }

  /** Like an SQL delete: answers the row removed, if one was present. */
  remove(key: string): Row | undefined {
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    this.rows.set(key, undefined);
    this.changed.delete(key);
    this.removed.set(key, row);
    return row;
  }

  /** What to write: the rows changed and still present (to upsert), and those removed (to delete by key). */
  writes(): Readonly<{ upserts: Row[]; deletes: Row[] }> {
    return { upserts: [...this.changed.values()], deletes: [...this.removed.values()] };
  }
}

/** Rows per statement: far below Postgres' 65,535 bind parameters for any table here. */
const CHUNK = 1_000;

/** Consecutive slices of `rows`, none empty, so that no statement outgrows the bind-parameter limit. */
export const chunksOf = <Row>(rows: readonly Row[]): Row[][] =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, index) =>
    rows.slice(index * CHUNK, (index + 1) * CHUNK),
  );

/** Bind parameters per combined statement, leaving room under Postgres' 65,535. */
const PARAMETERS = 30_000;

/**
 * Runs writes to distinct rows as few statements as it can, one round trip each: data-modifying `with` clauses of
 * one statement, which Postgres runs all of against the same snapshot. Their rows must not overlap (no write sees
 * another's), and a statement holds at most {@link PARAMETERS} bind parameters. Each write is compiled once; its
 * placeholders are renumbered after those of the writes before it (the writes here name values only through
 * placeholders, never a `$` in a literal).
 */
export const executeTogether = async (
  db: Kysely<unknown> | Transaction<unknown>,
  writes: readonly Compilable[],
): Promise<void> => {
  let group: CompiledQuery[] = [];
  let parameters = 0;
  const flush = async () => {
    if (group.length === 1) await db.executeQuery(group[0]!);
    else if (group.length > 1) {
      let offset = 0;
      const clauses = group.map((query, index) => {
        const shift = offset;
        offset += query.parameters.length;
        return `write_${index} as (${query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`)})`;
      });
      await db.executeQuery(
        CompiledQuery.raw(
          `with ${clauses.join(', ')} select 1`,
          group.flatMap((query) => query.parameters),
        ),
      );
    }
    group = [];
    parameters = 0;
  };
  for (const query of writes.map((write) => write.compile())) {
    if (parameters + query.parameters.length > PARAMETERS) await flush();
    group.push(query);
    parameters += query.parameters.length;
  }
  await flush();
};

/** A timestamptz read back as a Date, as the ISO instant it is written with. */
export const instant = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : value;
