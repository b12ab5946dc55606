/**
 * Group commit: requests that arrive while a batch is in flight wait for it, then go together as the next batch
 * in one call. A lone request is sent at once (nothing waits for company), and under load each round trip
 * carries everything that queued during the previous one, up to `maxBatchSize`. One batch is in flight at a
 * time, so requests are sent in the order they were submitted.
 */
export class GroupCommit<Request, Outcome> {
  private readonly queue: { request: Request; settle: (outcome: Settled<Outcome>) => void }[] = [];
  private flushing = false;

  /**
   * @param send answers one outcome per request, in order; when it throws, every request of the batch gets that
   *   error.
   */
  constructor(
    private readonly send: (batch: readonly Request[]) => Promise<readonly Outcome[]>,
    private readonly maxBatchSize: number,
  ) {}

  submit(request: Request): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({
        request,
        // The error is the database driver's, passed on as it came.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        settle: (settled) => (settled.ok ? resolve(settled.value) : reject(settled.error)),
      });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatchSize);
        let outcomes: readonly Outcome[] | undefined;
        let failure: unknown;
        try {
          outcomes = await this.send(batch.map((entry) => entry.request));
        } catch (error) {
          failure = error;
        }
        batch.forEach((entry, index) =>
          entry.settle(
            outcomes
              ? { ok: true, value: outcomes[index]! }
              : { ok: false, error: failure ?? new Error('no outcome') },
          ),
        );
      }
    } finally {
      this.flushing = false;
    }
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
