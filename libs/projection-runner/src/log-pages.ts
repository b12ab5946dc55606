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
};

export type LogPagesOptions = Readonly<{
  /** Events per read of the log. */
  pageSize: number;
  /** Most full pages kept for the readers behind the first one. */
  keptPages: number;
  /**
   * How long a reader that asked for nothing still holds the others back (a projection failing, or held by
   * another worker, must not stop the rest).
   */
  readerTimeoutMs?: number;
}>;

/** Where a reader last asked to read from, and when. */
type ReaderPlace = { after: Position | null; askedAt: number };

const isBefore = (after: Position | null, position: Position) => after === null || after < position;

/**
 * The whole log read once for every projection following it: the projections of a worker ask for the page after
 * their own checkpoint, and those at the same place share one read, each keeping the events it handles. A full
 * page never changes once readable (its events sit below the oldest transaction still in flight), so pages are
 * kept until every reader has passed them, and a reader ahead of the others waits before reading a new page while
 * `keptPages` pages are still wanted behind it: a rebuild of every read model moves as one convoy, at the pace of
 * its slowest, and reads each page once (without the wait the fast ones ran ahead, the pages the slow ones needed
 * were dropped, and a 200,000-event rebuild read the log thirty times over). A reader that has not asked for
 * `readerTimeoutMs` holds no one back. A short page (the head) is only shared while its read is in flight. Asking
 * for a page also reads the next one ahead while the caller applies this one, when there is room for it. Nothing
 * here decides what a projection applies: every answer is the log as the store returned it, so sharing changes
 * the cost of a read, never its result.
 */
export class LogPages {
  private readonly kept: CachedPage[] = [];
  private readonly reading = new Map<Position | null, Promise<LogPage>>();
  private readonly readers = new Map<string, ReaderPlace>();
  private waitingForRoom: (() => void)[] = [];
  private readonly readerTimeoutMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: LogPagesOptions,
  ) {
    this.readerTimeoutMs = options.readerTimeoutMs ?? 5_000;
  }

  /** The events after `after` (from the start of the log when null), asked for by `reader` when given. */
  async pageAfter(after: Position | null, reader?: string): Promise<LogPage> {
    if (reader !== undefined) this.moveReader(reader, after);
    let page = this.keptAfter(after) ?? (await this.reading.get(after));
    if (!page) {
      if (this.isAhead(after)) await this.roomAhead();
      page = this.keptAfter(after) ?? (await (this.reading.get(after) ?? this.read(after)));
    }
    // Full: the reader is catching up and will want the page after this one next.
    if (!page.atHead && page.through !== null) this.readAhead(page.through);
    return page;
  }

  /** A reader no longer follows the log from here (it stopped): it holds no one back. */
  leave(reader: string): void {
    this.readers.delete(reader);
    this.wakeWaiting();
  }

  private moveReader(reader: string, after: Position | null): void {
    this.readers.set(reader, { after, askedAt: Date.now() });
    this.wakeWaiting();
  }

  /** A kept page holding the events after `after`, from its start or its middle. */
  private keptAfter(after: Position | null): LogPage | undefined {
    const page = this.kept.find(
      (kept) =>
        isBefore(after, kept.last) && (kept.after === null || (after !== null && kept.after <= after)),
    );
    if (!page) return undefined;
    const events =
      after === null || page.after === after
        ? page.events
        : page.events.filter((event) => event.position > after);
    return { events, through: page.last, atHead: false };
  }

  /** Past every kept page: a read from there adds to the front of what is kept. */
  private isAhead(after: Position | null): boolean {
    return this.kept.every((kept) => after !== null && after >= kept.last);
  }

  /** Readers heard from lately; the others are forgotten. */
  private liveReaders(): ReaderPlace[] {
    const since = Date.now() - this.readerTimeoutMs;
    for (const [reader, place] of this.readers) if (place.askedAt < since) this.readers.delete(reader);
    return [...this.readers.values()];
  }

  /** The oldest kept page every live reader has passed. */
  private passedPage(): CachedPage | undefined {
    const readers = this.liveReaders();
    return this.kept.find((page) => readers.every((reader) => !isBefore(reader.after, page.last)));
  }

  private hasRoom(): boolean {
    return this.kept.length < this.options.keptPages || this.passedPage() !== undefined;
  }

  /** Waits until a new page can be kept without dropping one a live reader still wants, or the timeout. */
  private async roomAhead(): Promise<void> {
    const deadline = Date.now() + this.readerTimeoutMs;
    while (!this.hasRoom() && Date.now() < deadline) {
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        this.waitingForRoom.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  private wakeWaiting(): void {
    const waiting = this.waitingForRoom;
    this.waitingForRoom = [];
    for (const wake of waiting) wake();
  }

  private readAhead(after: Position): void {
    if (this.reading.has(after) || this.keptAfter(after) || !this.hasRoom()) return;
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
      this.keep({ after, last, events });
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

  /**
   * Keeps a full page, dropping one when there are too many: one every live reader has passed, else the one
   * wanted furthest ahead (the readers behind reach it last, and may find it read again by then).
   */
  private keep(page: CachedPage): void {
    this.kept.push(page);
    if (this.kept.length <= this.options.keptPages) return;
    const dropped =
      this.passedPage() ??
      this.kept.reduce((furthest, kept) => (kept.last > furthest.last ? kept : furthest));
    this.kept.splice(this.kept.indexOf(dropped), 1);
  }
}
