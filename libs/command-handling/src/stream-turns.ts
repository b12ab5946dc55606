/**
 * Commands to one stream take turns within a process, in the order they arrived; commands to different streams
 * run at once. Optimistic concurrency still guards the stream against other processes, but a process no longer
 * races itself: without turns, a contract receiving a few commands at once had each of them load the same
 * revision, all but one conflict, reload and decide again, and under a steady load some ran out of attempts (409)
 * while every retry cost a read and a decision more.
 */
export class StreamTurns {
  /** Per stream, the promise that settles when the last turn asked for so far is over. */
  private readonly lastTurn = new Map<string, Promise<void>>();

  async take<T>(streamName: string, work: () => Promise<T>): Promise<T> {
    const previous = this.lastTurn.get(streamName);
    let endTurn!: () => void;
    const thisTurn = new Promise<void>((end) => (endTurn = end));
    const queued = previous ? previous.then(() => thisTurn) : thisTurn;
    this.lastTurn.set(streamName, queued);
    try {
      if (previous) await previous;
      return await work();
    } finally {
      endTurn();
      // Nobody queued behind: forget the stream, so the map holds only streams with a command under way.
      if (this.lastTurn.get(streamName) === queued) this.lastTurn.delete(streamName);
    }
  }

  /** Streams with a command under way or waiting. */
  get busyStreams(): number {
    return this.lastTurn.size;
  }
}
