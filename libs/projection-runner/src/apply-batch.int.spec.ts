import type { Kysely } from 'kysely';
import { encodePosition, type Position } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { applyBatch, CheckpointMovedError } from './apply-batch';
import type { Projection } from './projection';
import type { CheckpointDatabase } from './projection-checkpoints.table';

const at = (n: number): Position => encodePosition(3n, BigInt(n));

const projectionNamed = (name: string): Projection<unknown> => ({
  name,
  version: 1,
  handles: [],
  apply: () => Promise.resolve(),
});

describe('moving checkpoints past events a projection does not handle', () => {
  let connection: DatabaseConnection;
  let db: Kysely<CheckpointDatabase>;

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    db = connection.db as Kysely<CheckpointDatabase>;
  });

  afterAll(() => connection.close());

  const checkpoints = async (names: readonly string[]) => {
    await db
      .insertInto('projection_checkpoints')
      .values(names.map((name) => ({ name, version: 1, position: null, status: 'running' as const })))
      .execute();
  };

  const positionOf = async (name: string) =>
    (
      await db
        .selectFrom('projection_checkpoints')
        .select('position')
        .where('name', '=', name)
        .where('version', '=', 1)
        .executeTakeFirstOrThrow()
    ).position;

  /** The database handle a runner would have, counting the statements sent through it. */
  const counting = () => {
    const counter = { statements: 0 };
    const counted = db.withPlugin({
      transformQuery: (args) => {
        counter.statements++;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    return { counted, counter };
  };

  it('sends the moves that arrive together in one statement, each its own compare-and-set', async () => {
    const names = Array.from({ length: 20 }, (_, n) => `together-${n}`);
    await checkpoints(names);
    // One of them was moved by another runner meanwhile: its move must fail, and it alone.
    await db
      .updateTable('projection_checkpoints')
      .set({ position: at(1) })
      .where('name', '=', 'together-7')
      .execute();
    const { counted, counter } = counting();
    const outcomes = await Promise.allSettled(
      names.map((name) => applyBatch(counted, projectionNamed(name), [], null, at(2))),
    );
    const failed = outcomes.flatMap((outcome, n) =>
      outcome.status === 'rejected' ? [[n, outcome.reason]] : [],
    );
    expect(failed).toEqual([[7, expect.any(CheckpointMovedError)]]);
    // The first goes at once; the others, arriving while it is in flight, go together.
    expect(counter.statements).toBe(2);
    for (const name of names) expect(await positionOf(name)).toBe(name === 'together-7' ? at(1) : at(2));
  });

  it('keeps the order of two moves of one checkpoint that wait together', async () => {
    await checkpoints(['first', 'second']);
    const { counted } = counting();
    const moves = [
      applyBatch(counted, projectionNamed('first'), [], null, at(5)),
      // These two wait behind the first; the second's later move must go after its earlier one.
      applyBatch(counted, projectionNamed('second'), [], null, at(5)),
      applyBatch(counted, projectionNamed('second'), [], at(5), at(6)),
    ];
    await Promise.all(moves);
    expect(await positionOf('first')).toBe(at(5));
    expect(await positionOf('second')).toBe(at(6));
  });

  it('fails every move of a statement the database refuses, and moves the next ones', async () => {
    await checkpoints(['refused-a', 'refused-b', 'after']);
    const { counted } = counting();
    const outcomes = await Promise.allSettled([
      applyBatch(counted, projectionNamed('after'), [], null, at(1)),
      applyBatch(counted, projectionNamed('refused-a'), [], null, at(1)),
      // A version that is no integer makes the whole statement fail.
      applyBatch(counted, { ...projectionNamed('refused-b'), version: 1.5 }, [], null, at(1)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await applyBatch(counted, projectionNamed('refused-a'), [], null, at(2))).toBeUndefined();
    expect(await positionOf('refused-a')).toBe(at(2));
  });
});
