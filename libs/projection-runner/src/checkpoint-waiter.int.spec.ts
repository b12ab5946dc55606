import type { Kysely } from 'kysely';
import { encodePosition } from '@app/event-store';
import { migrateToLatest } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { CheckpointWaiter } from './checkpoint-waiter';
import type { CheckpointDatabase } from './projection-checkpoints.table';

describe('waiting for read models to reach a position', () => {
  it('resolves when every named projection passed it, and gives up after the timeout', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<CheckpointDatabase>;
      await migrateToLatest(connection.db);
      const at = (n: number) => encodePosition(7n, BigInt(n));
      await db
        .insertInto('projection_checkpoints')
        .values([
          { name: 'a', version: 1, position: at(5), status: 'running' },
          { name: 'b', version: 1, position: at(1), status: 'running' },
          { name: 'b', version: 2, position: at(9), status: 'running' },
        ])
        .execute();
      const waiter = new CheckpointWaiter(db, 5);
      const both = [
        { name: 'a', version: 1 },
        { name: 'b', version: 1 },
      ];
      expect(await waiter.waitFor([{ name: 'a', version: 1 }], at(5), 1_000)).toBe(true);
      expect(await waiter.waitFor(both, at(5), 100)).toBe(false);
      const pending = waiter.waitFor(both, at(5), 5_000);
      await db
        .updateTable('projection_checkpoints')
        .set({ position: at(6) })
        .where('name', '=', 'b')
        .where('version', '=', 1)
        .execute();
      expect(await pending).toBe(true);
    } finally {
      await connection.close();
    }
  });
});
