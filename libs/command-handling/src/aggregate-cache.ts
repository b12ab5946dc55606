import type { Message } from '@app/domain';
import type { Position } from '@app/event-store';

/** What one command appended to a stream, kept so a repeated command can be answered without re-reading. */
export type HandledCommand = Readonly<{
  events: readonly Message[];
  /** Position and revision of the command's last event. */
  position: Position;
  revision: number;
  digest: string | undefined;
}>;

/** A stream folded up to `revision`, with the commands its events came from. */
export type CachedAggregate = Readonly<{
  state: unknown;
  revision: number;
  /** Grows only with committed events read from the store; shared by the entries of one stream. */
  commands: Map<string, HandledCommand>;
}>;

/**
 * Folded aggregates kept in memory between commands, so a command reads only the events appended since (usually
 * none or one) instead of the whole stream. Only committed events read from the store go in, so an entry is
 * never ahead of the store; the append's expected revision catches any writer it is behind. Least recently used
 * streams are dropped beyond `maxStreams`.
 */
export class AggregateCache {
  private readonly entries = new Map<string, CachedAggregate>();

  constructor(private readonly maxStreams = 10_000) {}

  get(streamName: string): CachedAggregate | undefined {
    const entry = this.entries.get(streamName);
    if (entry) {
      this.entries.delete(streamName);
      this.entries.set(streamName, entry);
    }
    return entry;
  }

  set(streamName: string, entry: CachedAggregate): void {
    const current = this.entries.get(streamName);
    // Concurrent loads of one stream may finish out of order: never go back to an older revision.
    if (current && current.revision > entry.revision) return;
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    if (this.entries.size > this.maxStreams) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
