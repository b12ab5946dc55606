/**
 * Group commit: requests that arrive while batches are in flight wait, then go together as the next batch in
 * one call, as soon as the previous one has returned and its callers have run (the end of that turn of the event
 * loop: no timer). A lone request leaves at the end of the turn it was made in; under load each round trip
 * carries everything that queued meanwhile, up to `maxBatchSize`. Up to `maxInFlight` batches run at once, what
 * can leave shared evenly among the free ones, but never two holding requests of the same key (stream): those
 * are sent in the order they were submitted.
 */
export class GroupCommit<Request, Outcome> {
  private queue: { request: Request; key: string; settle: (outcome: Settled<Outcome>) => void }[] = [];
  private readonly busyKeys = new Map<string, number>();
  private inFlight = 0;
  private startScheduled = false;

  /**
   * @param send answers one outcome per request, in order; when it throws, every request of the batch gets that
   *   error.
   */
  constructor(
    private readonly send: (batch: readonly Request[]) => Promise<readonly Outcome[]>,
    private readonly keyOf: (request: Request) => string,
    private readonly maxBatchSize: number,
    private readonly maxInFlight: number,
  ) {}

  submit(request: Request): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({
        request,
        key: this.keyOf(request),
        // The error is the database driver's, passed on as it came.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        settle: (settled) => (settled.ok ? resolve(settled.value) : reject(settled.error)),
      });
      this.scheduleStart();
    });
  }

  /**
   * Starts batches once this turn of the event loop is over, so the requests made in one turn go together and
   * are shared among the free lanes instead of the first taking a lane alone.
   */
  private scheduleStart(): void {
    if (this.startScheduled) return;
    this.startScheduled = true;
    setImmediate(() => {
      this.startScheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    let free = this.maxInFlight - this.inFlight;
    while (free > 0 && this.queue.length > 0) {
      // What can leave now is shared evenly among the free lanes, so batches in flight stay alike in size and
      // each lane's commit overlaps the others' work instead of a lone append taking a commit of its own.
      const eligible = this.eligibleCount();
      if (eligible === 0) return;
      const size = Math.min(this.maxBatchSize, Math.ceil(eligible / free));
      const batch: typeof this.queue = [];
      const rest: typeof this.queue = [];
      // A key whose earlier request waits stays behind it, so a stream's order holds.
      const held = new Set<string>();
      for (const entry of this.queue) {
        if (batch.length < size && !this.busyKeys.has(entry.key) && !held.has(entry.key)) {
          batch.push(entry);
        } else {
          held.add(entry.key);
          rest.push(entry);
        }
      }
      this.queue = rest;
      free--;
      void this.run(batch);
    }
  }

  /** How many queued requests could leave now: neither in flight by key nor behind a waiting one of their key. */
  private eligibleCount(): number {
    const held = new Set<string>();
    let count = 0;
    for (const entry of this.queue) {
      if (!this.busyKeys.has(entry.key) && !held.has(entry.key)) count++;
      else held.add(entry.key);
    }
    return count;
  }

  private async run(batch: typeof this.queue): Promise<void> {
    this.inFlight++;
    for (const { key } of batch) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
    let outcomes: readonly Outcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await this.send(batch.map((entry) => entry.request));
    } catch (error) {
      failure = error;
    }
    for (const { key } of batch) {
      const count = this.busyKeys.get(key)! - 1;
      if (count === 0) this.busyKeys.delete(key);
      else this.busyKeys.set(key, count);
    }
    batch.forEach((entry, index) =>
      entry.settle(
        outcomes
          ? { ok: true, value: outcomes[index]! }
          : { ok: false, error: failure ?? new Error('no outcome') },
      ),
    );
    // The writers answer append again within this turn of the event loop; the next batch leaves once the turn
    // is over, with all of them.
    this.inFlight--;
    this.scheduleStart();
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
