/**
 * Group commit: requests that arrive while batches are in flight wait, then go together as the next batch in
 * one call, as soon as the previous one has returned and its callers have run (the end of that turn of the event
 * loop: no timer). A lone request is sent at once; under load each round trip carries everything that queued
 * meanwhile, up to `maxBatchSize`. Up to `maxInFlight` batches run at once, but never two
 * holding requests of the same key (stream): those are sent in the order they were submitted.
 */
export class GroupCommit<Request, Outcome> {
  private queue: { request: Request; key: string; settle: (outcome: Settled<Outcome>) => void }[] = [];
  private readonly busyKeys = new Map<string, number>();
  private inFlight = 0;

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
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch: typeof this.queue = [];
      const rest: typeof this.queue = [];
      // A key whose earlier request waits stays behind it, so a stream's order holds.
      const held = new Set<string>();
      for (const entry of this.queue) {
        if (batch.length < this.maxBatchSize && !this.busyKeys.has(entry.key) && !held.has(entry.key)) {
          batch.push(entry);
        } else {
          held.add(entry.key);
          rest.push(entry);
        }
      }
      if (batch.length === 0) return;
      this.queue = rest;
      void this.run(batch);
    }
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
    // The writers just answered append again within this turn of the event loop; the first of them would go
    // alone and the rest wait behind it. The next batch leaves once the turn is over, with all of them.
    setImmediate(() => {
      this.inFlight--;
      this.startBatches();
    });
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
