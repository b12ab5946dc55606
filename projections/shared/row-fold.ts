import { sql, type RawBuilder, type Transaction } from 'kysely';

/** How a column is written: as is, or as JSON text (a jsonb column, read back as text to be written again). */
export type ColumnKind = 'value' | 'json';

/** Every column of a table and how it is written; a column left out does not compile. */
export type TableColumns<Row> = { readonly [Column in keyof Row & string]-?: ColumnKind };

/** A read-model table rows are folded into: its name, the text column that keys a row, and its columns. */
export type FoldedTable<Row> = Readonly<{
  name: string;
  key: keyof Row & string;
  columns: TableColumns<Row>;
}>;

/**
 * What one event does to its row: creates it, or changes some of its columns from the row as it stands before the
 * event. A change to a row that does not exist changes nothing, as an update would.
 */
export type RowStep<Row> =
  | Readonly<{ key: string; creates: Row }>
  | Readonly<{ key: string; changes: (row: Readonly<Row>) => Partial<Row> }>;

/** A changed row keeps the columns a change leaves undefined, as an update's `set` would. */
const merged = <Row>(row: Row, change: Partial<Row>): Row => {
  const next = { ...row };
  for (const [column, value] of Object.entries(change) as [keyof Row, Row[keyof Row] | undefined][])
    if (value !== undefined) next[column] = value;
  return next;
};

/**
 * The rows the steps leave, in order, from the rows they found (`existing`, by key): only the rows a step created
 * or changed. Creating a row that exists fails, as the insert event by event would.
 */
export const foldRows = <Row>(
  table: string,
  existing: ReadonlyMap<string, Row>,
  steps: Iterable<RowStep<Row>>,
): Map<string, Row> => {
  const current = new Map(existing);
  const touched = new Map<string, Row>();
  for (const step of steps) {
    const row = current.get(step.key);
    let next: Row;
    if ('creates' in step) {
      if (row !== undefined) throw new Error(`The ${table} row ${step.key} exists already`);
      next = step.creates;
    } else {
      if (row === undefined) continue;
      next = merged(row, step.changes(row));
    }
    current.set(step.key, next);
    touched.set(step.key, next);
  }
  return touched;
};

/** A column as the fold sees it: JSON as text, an instant as ISO-8601, so a row read back is written as it was. */
const selectedColumn = (column: string, kind: ColumnKind): RawBuilder<unknown> =>
  kind === 'json' ? sql`${sql.ref(column)}::text as ${sql.ref(column)}` : sql.ref(column);

const asWritten = (row: Record<string, unknown>): Record<string, unknown> => {
  for (const [column, value] of Object.entries(row))
    if (value instanceof Date) row[column] = value.toISOString();
  return row;
};

/** The rows of `table` whose `keyColumn` is one of `keys`, in one query, by key. */
export const loadRows = async <Row>(
  trx: Transaction<unknown>,
  table: Readonly<{ name: string; columns: TableColumns<Row> }>,
  keyColumn: keyof Row & string,
  keys: readonly string[],
): Promise<Map<string, Row>> => {
  if (keys.length === 0) return new Map();
  const columns = Object.entries<ColumnKind>(table.columns);
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(columns.map(([column, kind]) => selectedColumn(column, kind)))}
    from ${sql.table(table.name)}
    where ${sql.ref(keyColumn)} = any(${sql.val(keys)}::text[])`.execute(trx);
  return new Map(rows.map((row) => [String(row[keyColumn]), asWritten(row) as Row]));
};

/** Rows per statement: a bound on one parameter's size for a very large batch, not a limit of Postgres'. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * The rows as one JSON array of objects, stringified natively in one call: a JSON column's text is parsed first
 * so that it goes in as the JSON it holds, not as a string.
 */
const rowsAsJson = (
  columns: readonly (readonly [string, ColumnKind])[],
  rows: readonly Record<string, unknown>[],
): string => {
  const jsonColumns = columns.filter(([, kind]) => kind === 'json').map(([column]) => column);
  if (jsonColumns.length === 0) return JSON.stringify(rows);
  return JSON.stringify(
    rows.map((row) => {
      const parsed = { ...row };
      for (const column of jsonColumns) {
        const value = row[column];
        if (typeof value === 'string') parsed[column] = JSON.parse(value) as unknown;
      }
      return parsed;
    }),
  );
};

/**
 * One insert of `rows`, followed by `onConflict`: the rows travel as one jsonb parameter, turned into the table's
 * own row type by `jsonb_populate_recordset` (each value read by its column's type). Against a multi-row `values`
 * with a bind parameter per value, Postgres parses and plans one small statement, and neither kysely nor pg builds
 * or encodes thousands of parameters.
 */
const insertInChunks = async (
  trx: Transaction<unknown>,
  table: Readonly<{ name: string; columns: Readonly<Record<string, ColumnKind>> }>,
  rows: readonly Record<string, unknown>[],
  onConflict: RawBuilder<unknown>,
): Promise<void> => {
  const columns = Object.entries<ColumnKind>(table.columns);
  const names = sql.join(columns.map(([column]) => sql.ref(column)));
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const json = rowsAsJson(columns, rows.slice(start, start + ROWS_PER_STATEMENT));
    await sql`
      insert into ${sql.table(table.name)} (${names})
      select ${names} from jsonb_populate_recordset(null::${sql.table(table.name)}, ${json}::jsonb)
      ${onConflict}`.execute(trx);
  }
};

/**
 * Writes `rows` in one multi-row `insert … on conflict (conflictColumns) do update`: a row that exists takes every
 * column of the one given.
 */
export const upsertRows = async <Row>(
  trx: Transaction<unknown>,
  table: Readonly<{ name: string; columns: TableColumns<Row> }>,
  conflictColumns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<void> => {
  const columns = Object.keys(table.columns);
  const updated = columns.filter((column) => !(conflictColumns as readonly string[]).includes(column));
  const target = sql.join(conflictColumns.map((column) => sql.ref(column)));
  const onConflict =
    updated.length === 0
      ? sql`on conflict (${target}) do nothing`
      : sql`on conflict (${target}) do update set ${sql.join(
          updated.map((column) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`),
        )}`;
  await insertInChunks(trx, table, rows as readonly Record<string, unknown>[], onConflict);
};

/**
 * Writes `rows` in one multi-row insert: for append-only tables. With `unlessExists`, a row whose key columns
 * match one already there is left out (`on conflict … do nothing`): a replayed event writes nothing twice.
 */
export const insertRows = async <Row>(
  trx: Transaction<unknown>,
  table: Readonly<{ name: string; columns: TableColumns<Row> }>,
  rows: readonly Row[],
  unlessExists?: readonly (keyof Row & string)[],
): Promise<void> =>
  insertInChunks(
    trx,
    table,
    rows as readonly Record<string, unknown>[],
    unlessExists
      ? sql`on conflict (${sql.join(unlessExists.map((column) => sql.ref(column)))}) do nothing`
      : sql``,
  );

/**
 * "Insert the row on the creating event, else update the columns an event changes", for a whole batch: the rows
 * the steps touch read in one query, folded in memory in event order, written in one upsert.
 */
export const foldIntoTable = async <Row>(
  trx: Transaction<unknown>,
  table: FoldedTable<Row>,
  steps: readonly RowStep<Row>[],
): Promise<void> => {
  if (steps.length === 0) return;
  const existing = await loadRows(trx, table, table.key, [...new Set(steps.map((step) => step.key))]);
  await upsertRows(trx, table, [table.key], [...foldRows(table.name, existing, steps).values()]);
};
