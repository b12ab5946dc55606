import { StreamTurns } from './stream-turns';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StreamTurns', () => {
  it('runs the work for one stream one at a time, in the order it arrived', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        turns.take('contract-1', async () => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          log.push(`start ${n}`);
          for (let i = 0; i < n % 3; i++) await later();
          log.push(`end ${n}`);
          running--;
        }),
      ),
    );
    expect(mostAtOnce).toBe(1);
    expect(log).toEqual(Array.from({ length: 50 }, (_, n) => [`start ${n}`, `end ${n}`]).flat());
    await later(); // the turn is forgotten just after it ends
    expect(turns.busyStreams).toBe(0);
  });

  it('lets another stream run while one is busy', async () => {
    const turns = new StreamTurns();
    let release!: () => void;
    const held = turns.take('contract-1', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(turns.take('contract-2', async () => 'done')).resolves.toBe('done');
    expect(turns.busyStreams).toBe(1);
    release();
    await held;
    await later(); // the turn is forgotten just after it ends
    expect(turns.busyStreams).toBe(0);
  });

  it('passes the turn on after work that failed, and gives the failure to its caller only', async () => {
    const turns = new StreamTurns();
    const failing = turns.take('contract-1', async () => {
      await later();
      throw new Error('refused');
    });
    const next = turns.take('contract-1', async () => 'next ran');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next ran');
    await later(); // the turn is forgotten just after it ends
    expect(turns.busyStreams).toBe(0);
  });

  it('gives the turn to work queued while the stream was being forgotten', async () => {
    const turns = new StreamTurns();
    const order: number[] = [];
    const first = turns.take('s', async () => order.push(1));
    await first;
    const second = turns.take('s', async () => {
      await later();
      order.push(2);
    });
    const third = turns.take('s', async () => order.push(3));
    await Promise.all([second, third]);
    expect(order).toEqual([1, 2, 3]);
    await later(); // the turn is forgotten just after it ends
    expect(turns.busyStreams).toBe(0);
  });
});
