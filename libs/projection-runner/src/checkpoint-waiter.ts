import type { Kysely } from 'kysely';
import type { Position } from '@app/event-store';
import type { CheckpointDatabase } from './projection-checkpoints.table';

type Waiter = Readonly<{
  projections: readonly Readonly<{ name: string; version: number }>[];
  position: Position;
  resolve: (reached: boolean) => void;
}>;

/**
 * Read-your-writes for queries: resolves once the named projections' checkpoints have passed a position a command
 * answered. However many requests wait, one query a tick reads the checkpoints, and only while someone waits.
 */
export class CheckpointWaiter {
  private readonly waiters = new Set<Waiter>();
  private ticking = false;

  constructor(
    private readonly db: Kysely<CheckpointDatabase>,
    private readonly tickMs = 20,
  ) {}

  /** True once every projection reached `position`, false when `timeoutMs` passed first. */
  waitFor(
    projections: readonly Readonly<{ name: string; version: number }>[],
    position: Position,
    timeoutMs: number,
  ): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      const settle = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(reached);
      };
      const waiter: Waiter = { projections, position, resolve: settle };
      this.waiters.add(waiter);
      void this.tick();
    });
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      while (this.waiters.size > 0) {
        const rows = await this.db
          .selectFrom('projection_checkpoints')
          .select(['name', 'version', 'position'])
          .execute()
          .catch(() => []);
        const reached = (name: string, version: number, position: Position) =>
          rows.some(
            (row) =>
              row.name === name &&
              row.version === version &&
              row.position !== null &&
              row.position >= position,
          );
        for (const waiter of [...this.waiters]) {
          if (waiter.projections.every((p) => reached(p.name, p.version, waiter.position)))
            waiter.resolve(true);
        }
        if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, this.tickMs));
      }
    } finally {
      this.ticking = false;
    }
  }
}
