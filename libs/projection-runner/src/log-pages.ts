import type { EventStore, Position, RecordedEvent } from '@app/event-store';

/**
 * A stretch of the log: every event after the position asked for, up to and including `through`. `through` lies
 * past the last event when the read reached the readable head (the head read before the page), so a reader that
 * found nothing more for it may still move on to there. `atHead`: nothing more was readable when it was read.
 */
export type LogPage = Readonly<{
  events: readonly RecordedEvent[];
  through: Position | null;
  atHead: boolean;
}>;

type CachedPage = {
  after: Position | null;
  /** The last event's position: a full page ends on an event. */
  last: Position;
  events: readonly RecordedEvent[];
  usedAt: number;
};

export type LogPagesOptions = Readonly<{
  /** Events per read of the log. */
  pageSize: number;
  /** Full pages kept for the readers behind the first one; older pages are read again when asked for. */
  keptPages: number;
}>;

/**
 * The whole log read once for every projection following it: the projections of a worker ask for the page after
 * their own checkpoint, and those at the same place (a rebuild of all of them, or every one caught up) share one
 * read, each keeping the events it handles. A full page never changes once readable (its events sit below the
 * oldest transaction still in flight), so the last few are kept for the projections behind, which read them from
 * anywhere inside; a short page (the head) is only shared while its read is in flight. Asking for a page also
 * reads the next one ahead while the caller applies this one. Nothing here decides what a projection applies:
 * every answer is the log as the store returned it, so sharing changes the cost of a read, never its result.
 */
export class LogPages {
  private readonly kept: CachedPage[] = [];
  private readonly reading = new Map<Position | null, Promise<LogPage>>();
  private clock = 0;

  constructor(
    private readonly store: EventStore,
    private readonly options: LogPagesOptions,
  ) {}

  /** The events after `after` (from the start of the log when null). */
  async pageAfter(after: Position | null): Promise<LogPage> {
    const page = this.keptAfter(after) ?? (await (this.reading.get(after) ?? this.read(after)));
    // Full: the reader is catching up and will want the page after this one next.
    if (!page.atHead && page.through !== null) this.readAhead(page.through);
    return page;
  }

  /** A kept page holding the events after `after`, from its start or its middle. */
  private keptAfter(after: Position | null): LogPage | undefined {
    const page = this.kept.find(
      (kept) =>
        kept.last > (after ?? '') && (kept.after === null ? true : after !== null && kept.after <= after),
    );
    if (!page) return undefined;
    page.usedAt = ++this.clock;
    const events =
      after === null || page.after === after
        ? page.events
        : page.events.filter((event) => event.position > after);
    return { events, through: page.last, atHead: false };
  }

  private readAhead(after: Position): void {
    if (this.reading.has(after) || this.keptAfter(after)) return;
    // Nobody waits on it yet: a failure is the next asker's to see, through a read of its own.
    void this.read(after).catch(() => undefined);
  }

  private read(after: Position | null): Promise<LogPage> {
    const reading = this.readNow(after).finally(() => this.reading.delete(after));
    this.reading.set(after, reading);
    return reading;
  }

  private async readNow(after: Position | null): Promise<LogPage> {
    const { pageSize } = this.options;
    // Read before the page: every event up to it is readable then, so a short page holds all of them.
    const head = await this.store.headPosition();
    // The readable log ends where the reader already is: nothing to read (the usual answer to a caught-up poll).
    if (head === undefined || (after !== null && head <= after)) {
      return { events: [], through: after, atHead: true };
    }
    const events = await this.store.readAll({ ...(after === null ? {} : { after }), maxCount: pageSize });
    const last = events.at(-1)?.position;
    if (last !== undefined && events.length === pageSize) {
      this.keep({ after, last, events, usedAt: ++this.clock });
      return { events, through: last, atHead: false };
    }
    const through = [after, last, head].reduce<Position | null>(
      (furthest, position) =>
        position === undefined || position === null || (furthest !== null && furthest >= position)
          ? furthest
          : position,
      null,
    );
    return { events, through, atHead: true };
  }

  private keep(page: CachedPage): void {
    this.kept.push(page);
    if (this.kept.length <= this.options.keptPages) return;
    const leastUsed = this.kept.reduce((least, kept) => (kept.usedAt < least.usedAt ? kept : least));
    this.kept.splice(this.kept.indexOf(leastUsed), 1);
  }
}
