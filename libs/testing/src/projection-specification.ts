import type { Kysely } from 'kysely';
import { encodePosition, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';

/** An event as the log would hand it to a projection; positions follow `revision` within one test. */
export const recordedEvent = (
  streamName: string,
  revision: number,
  type: string,
  data: unknown,
  occurredAt = '2026-01-01T00:00:00.000Z',
): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${revision.toString(16).padStart(12, '0')}`,
  type,
  data,
  metadata: {
    actor: { kind: 'system', rule: 'test' },
    occurredAt,
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  },
  streamName,
  revision,
  position: encodePosition(1n, BigInt(revision + 1)),
});

/**
 * Projection specifications that read like the deciders': given events, when events (applied `times` times, for
 * replays), then the rows a query reads — on a real database the caller opens and migrates.
 */
export const projectionSpecification = <DB>(projection: Projection<DB>, database: () => Kysely<DB>) => ({
  given: (history: readonly RecordedEvent[]) => ({
    when: (events: readonly RecordedEvent[], options: Readonly<{ times?: number }> = {}) => ({
      then: async <Rows>(read: (db: Kysely<DB>) => Promise<Rows>, expected: Rows): Promise<void> => {
        const db = database();
        await db.transaction().execute((trx) => projection.apply(history, trx));
        for (let time = 0; time < (options.times ?? 1); time++) {
          await db.transaction().execute((trx) => projection.apply(events, trx));
        }
        expect(await read(db)).toEqual(expected);
      },
    }),
  }),
});
