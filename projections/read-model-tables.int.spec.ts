import { sql, type Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { NOT_READ_MODEL_TABLES, openTestDatabase } from '@app/testing';
import { BUILT_IN_PLACE, READ_MODEL_PROJECTIONS } from './index';

/** Every version has a replay guard of its own, whatever it names. */
const NOT_READ_MODELS = [...NOT_READ_MODEL_TABLES, 'projection_stream_revisions'];

describe('the read models’ tables', () => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db as Kysely<unknown>);
  });
  afterAll(() => connection.close());

  it('each belong to one read model, which names it to be built beside the served version or is built in place', async () => {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
      connection.db,
    );
    const owners = new Map<string, string[]>();
    const own = (table: string, owner: string) => owners.set(table, [...(owners.get(table) ?? []), owner]);
    for (const projection of READ_MODEL_PROJECTIONS) {
      for (const table of projection.tables ?? []) own(table, projection.name);
      for (const table of BUILT_IN_PLACE[projection.name]?.tables ?? [])
        own(table, `${projection.name} (in place)`);
    }
    const readModelTables = rows.map((row) => row.name).filter((name) => !NOT_READ_MODELS.includes(name));
    expect(readModelTables.length).toBeGreaterThan(30);
    expect(readModelTables.filter((table) => owners.get(table)?.length !== 1)).toEqual([]);
    // And none names a table the migrations do not create.
    expect([...owners.keys()].filter((table) => !readModelTables.includes(table))).toEqual([]);
  });

  it('are named by every read model not built in place, and by none built in place', () => {
    for (const projection of READ_MODEL_PROJECTIONS) {
      const inPlace = projection.name in BUILT_IN_PLACE;
      expect({ projection: projection.name, names: (projection.tables ?? []).length > 0 }).toEqual({
        projection: projection.name,
        names: !inPlace,
      });
    }
  });
});
