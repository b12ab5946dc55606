import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { AggregateCache } from '@app/command-handling';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { reactorCheckpointName } from './reactor-runner';
import { orderService } from './testing/order-service';
import { runTypeScriptChild } from './testing/typescript-child';

const CHILD = resolve(__dirname, 'testing/reactor-crash.child.ts');
const SERVICES = ['svc-a', 'svc-b', 'svc-c'];

/**
 * The worker process is killed (SIGKILL) after its reactor dispatched a page's commands and before the checkpoint
 * moved; the next worker reads the same page again and dispatches the same commands under the same ids.
 */
describe('a reactor killed between dispatch and checkpoint', () => {
  const url = process.env.DATABASE_URL;
  const schema = `crash_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'reactor-crash-'));
  const childEnv: Readonly<Record<string, string>> = url
    ? { CRASH_DATABASE_URL: url, CRASH_DATABASE_SCHEMA: schema }
    : { CRASH_DATA_DIR: dataDir };
  const open = (): Promise<DatabaseConnection> =>
    openDatabase(url ? { kind: 'server', url, schema, poolSize: 2 } : { kind: 'embedded', dataDir });

  afterAll(async () => {
    if (url) {
      const connection = await open();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(connection.db);
      await connection.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the log and the reactor's checkpoint hold now (the embedded database is closed between processes). */
  const observe = async () => {
    const connection = await open();
    try {
      const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
      // Streams read directly: the log shows an event only once every older transaction on the server ended.
      const issued: RecordedEvent[] = [];
      for (const id of SERVICES) issued.push(...(await store.readStream(`invoice-inv-${id}-2024-02-29`)));
      const checkpoint = await (
        connection.db as Kysely<{ projection_checkpoints: { name: string; position: string | null } }>
      )
        .selectFrom('projection_checkpoints')
        .select('position')
        .where('name', '=', reactorCheckpointName({ name: 'first-invoice' }))
        .executeTakeFirst();
      return { issued, checkpoint: checkpoint?.position ?? null };
    } finally {
      await connection.close();
    }
  };

  it('dispatches again after the restart and applies nothing twice', async () => {
    const connection = await open();
    await migrateToLatest(connection.db);
    const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
    const writePath = { eventStore: store, cache: new AggregateCache() };
    let last = '';
    for (const serviceId of SERVICES) last = (await orderService(writePath, serviceId, 'annual')) ?? last;
    await connection.close();

    const crashed = await runTypeScriptChild(CHILD, {
      ...childEnv,
      CRASH_WAIT_FOR: last,
      CRASH_AFTER_DISPATCH: '1',
    });
    expect({ signal: crashed.signal, stderr: crashed.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    const afterCrash = await observe();
    expect(afterCrash.issued.map((event) => event.streamName).sort()).toEqual(
      SERVICES.map((id) => `invoice-inv-${id}-2024-02-29`),
    );
    expect(afterCrash.checkpoint).toBeNull();

    const restarted = await runTypeScriptChild(CHILD, { ...childEnv, CRASH_WAIT_FOR: last });
    expect(restarted).toMatchObject({ code: 0, signal: null });
    const afterRestart = await observe();
    expect(afterRestart.issued.map((event) => event.id)).toEqual(afterCrash.issued.map((event) => event.id));
    expect(afterRestart.issued).toHaveLength(3);
    expect(afterRestart.issued.map((event) => event.data)).toMatchObject(
      SERVICES.map((id) => ({ totalCents: 12 * 2990, lines: [{ serviceId: id, periodEnd: '2025-02-27' }] })),
    );
    expect(afterRestart.checkpoint).not.toBeNull();
  });
});
