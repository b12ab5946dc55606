import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { notaFiscalSeriesDecider, type Actor, type NotaFiscalSeriesCommand } from '@app/domain';
import { PostgresEventStore, PostgresSnapshotStore, type Snapshot } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { handleCommand, loadCurrentState, type WritePath } from './handle-command';
import { snapshotPolicy, Snapshotting } from './snapshots';
import { notaFiscalSeriesSnapshotPolicy as policy } from './snapshot-policies';

const system: Actor = { kind: 'system', rule: 'issue-nota-fiscal' };

describe('snapshots on the write path', () => {
  let connection: DatabaseConnection;
  let eventStore: PostgresEventStore;
  let snapshotStore: PostgresSnapshotStore;
  const every5 = snapshotPolicy(notaFiscalSeriesDecider, { ...policy, every: 5 });

  beforeAll(async () => {
    connection = await openTestDatabase();
    const db = connection.db as Kysely<unknown>;
    eventStore = await PostgresEventStore.create(db, { directQuery: connection.query });
    snapshotStore = new PostgresSnapshotStore(db);
  });

  afterAll(async () => {
    await eventStore.close();
    await connection.close();
  });

  const writePathWith = (snapshots: Snapshotting): WritePath => ({ eventStore, snapshots });

  /** Puts this snapshot in place of whatever the write path stored. */
  const replaceSnapshot = async (snapshot: Snapshot) => {
    await sql`delete from es_snapshots where stream_name = ${snapshot.streamName}`.execute(connection.db);
    await snapshotStore.write(snapshot);
  };

  const allocate = (
    writePath: WritePath,
    stream: string,
    invoiceId: string,
    commandId: string = randomUUID(),
  ) =>
    handleCommand(writePath, notaFiscalSeriesDecider, stream, {
      commandId,
      command: {
        type: 'AllocateNotaFiscalNumber',
        data: { invoiceId },
        metadata: { now: '2026-03-10T13:00:00.000Z', actor: system },
      } satisfies NotaFiscalSeriesCommand,
    });

  it('stores the folded state every N events, after the append, and loads from it plus the events after it', async () => {
    const stream = `nota-fiscal-series-${randomUUID()}`;
    const snapshots = new Snapshotting(snapshotStore, [every5]);
    const writePath = writePathWith(snapshots);
    for (let n = 1; n <= 12; n++) await allocate(writePath, stream, `inv-${n}`);
    await snapshots.settled();
    // Written by the append that reached revision 9, or by a later load that folded past it.
    const taken = await snapshotStore.read(stream);
    expect(taken).toMatchObject({ schemaVersion: policy.schemaVersion });
    expect(taken!.revision).toBeGreaterThanOrEqual(9);

    // A snapshot that says something the events do not proves the load starts from it.
    await replaceSnapshot({
      streamName: stream,
      revision: 10,
      schemaVersion: policy.schemaVersion,
      state: { lastNumber: 1000 },
    });
    const fromSnapshot = await loadCurrentState(writePath, notaFiscalSeriesDecider, stream);
    expect(fromSnapshot).toMatchObject({ revision: 11, state: { status: 'numbering', lastNumber: 12 } });
    await replaceSnapshot({
      streamName: stream,
      revision: 11,
      schemaVersion: policy.schemaVersion,
      state: { lastNumber: 1000 },
    });
    const { state, revision } = await loadCurrentState(writePath, notaFiscalSeriesDecider, stream);
    expect(revision).toBe(11);
    expect(state).toEqual({ status: 'numbering', lastNumber: 1000 });
  });

  it('ignores a snapshot of another schema version and rebuilds it from the stream', async () => {
    const stream = `nota-fiscal-series-${randomUUID()}`;
    const old = new Snapshotting(snapshotStore, [
      snapshotPolicy(notaFiscalSeriesDecider, { ...policy, every: 5, schemaVersion: 0 }),
    ]);
    for (let n = 1; n <= 6; n++) await allocate(writePathWith(old), stream, `inv-${n}`);
    await old.settled();
    await replaceSnapshot({
      streamName: stream,
      revision: 4,
      schemaVersion: 0,
      state: { lastNumber: 1000 },
    });

    const current = new Snapshotting(snapshotStore, [every5]);
    const { state } = await loadCurrentState(writePathWith(current), notaFiscalSeriesDecider, stream);
    expect(state).toMatchObject({ lastNumber: 6 });
    await current.settled();
    expect(await snapshotStore.read(stream)).toMatchObject({
      revision: 5,
      schemaVersion: policy.schemaVersion,
    });
  });

  it('answers a repeated command stored before the snapshot with its first result', async () => {
    const stream = `nota-fiscal-series-${randomUUID()}`;
    const snapshots = new Snapshotting(snapshotStore, [
      snapshotPolicy(notaFiscalSeriesDecider, { ...policy, every: 3 }),
    ]);
    const writePath = writePathWith(snapshots);
    const first = await allocate(writePath, stream, 'inv-1', 'allocate-inv-1');
    for (let n = 2; n <= 7; n++) await allocate(writePath, stream, `inv-${n}`);
    await snapshots.settled();
    // The series keeps no invoice: the repeat is known by its command id alone.
    await replaceSnapshot({
      streamName: stream,
      revision: 6,
      schemaVersion: policy.schemaVersion,
      state: { lastNumber: 7 },
    });
    const again = await allocate(writePath, stream, 'inv-1', 'allocate-inv-1');
    expect(again).toMatchObject({ replayed: true, events: first.events, position: first.position });
    expect(await eventStore.readStream(stream)).toHaveLength(7);
  });
});
