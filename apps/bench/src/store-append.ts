import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore } from '@app/event-store';
import { throughput, throughputAndLatency } from './bench-harness';

/** Metadata as the write path puts on an event, fresh for each one. */
export const benchMetadata = (): EventMetadata => ({
  actor: { kind: 'system', rule: 'bench' },
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  commandName: 'Bench',
  schemaVersion: 1,
});

/** A small event, like most of ours. */
export const benchEventData = (iteration: number) => ({
  iteration,
  note: 'a small event, like most of ours',
});

/**
 * append.store's measurement, also append.command's baseline: events/s through the port, one event per append
 * with its expected revision, each writer on a stream of its own.
 */
export const appendStoreThroughput = (
  store: EventStore,
  writers: number,
  durationMs: number,
): Promise<number> => {
  const streams = Array.from({ length: writers }, () => `bench-${randomUUID()}`);
  const revisions = streams.map(() => -1);
  return throughput(writers, durationMs, async (writer, iteration) => {
    const revision = revisions[writer]!;
    const result = await store.append(
      streams[writer]!,
      [
        {
          id: randomUUID(),
          type: 'BenchEventAppended',
          data: benchEventData(iteration),
          metadata: benchMetadata(),
        },
      ],
      revision < 0 ? 'no_stream' : revision,
    );
    revisions[writer] = result.nextExpectedRevision;
  });
};

/** {@link appendStoreThroughput} with the p99 latency of one append. */
export const appendStoreThroughputAndLatency = (
  store: EventStore,
  writers: number,
  durationMs: number,
): Promise<{ perSecond: number; p99Ms: number }> => {
  const streams = Array.from({ length: writers }, () => `bench-${randomUUID()}`);
  const revisions = streams.map(() => -1);
  return throughputAndLatency(writers, durationMs, async (writer, iteration) => {
    const revision = revisions[writer]!;
    const result = await store.append(
      streams[writer]!,
      [
        {
          id: randomUUID(),
          type: 'BenchEventAppended',
          data: benchEventData(iteration),
          metadata: benchMetadata(),
        },
      ],
      revision < 0 ? 'no_stream' : revision,
    );
    revisions[writer] = result.nextExpectedRevision;
  });
};
