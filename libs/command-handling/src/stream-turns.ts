/**
 * Commands to one stream take turns within a process, in the order they arrived; commands to different streams
 * run at once. Optimistic concurrency still guards the stream against other processes, but a process no longer
 * races itself: without turns, a contract receiving a few commands at once had each of them load the same
 * revision, all but one conflict, reload and decide again, and under a steady load some ran out of attempts (409)
 * while every retry cost a read and a decision more.
 */
export class StreamTurns {
  /** Per stream, a promise that settles (never rejects) when the last turn asked for so far is over. */
  private readonly lastTurn = new Map<string, Promise<void>>();

  /** Runs `work` once the turns asked for before on `streamName` are over; answers what it answers. */
  take<T>(streamName: string, work: () => Promise<T>): Promise<T> {
    const previous = this.lastTurn.get(streamName);
    // A stream nobody is working on, the usual case, costs no wait.
    const turn = previous ? previous.then(work) : startNow(work);
    const over = turn.then(ignore, ignore);
    this.lastTurn.set(streamName, over);
    // Nobody queued behind: forget the stream, so the map holds only streams with a command under way.
    void over.then(() => {
      if (this.lastTurn.get(streamName) === over) this.lastTurn.delete(streamName);
    });
    return turn;
  }

  /** Streams with a command under way or waiting. */
  get busyStreams(): number {
    return this.lastTurn.size;
  }
}

const ignore = (): void => undefined;

const startNow = <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
};
