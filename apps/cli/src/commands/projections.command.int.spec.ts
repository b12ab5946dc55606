import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@app/config';
import { PostgresEventStore, type NewEvent } from '@app/event-store';
import { READ_MODEL_PROJECTIONS } from '@app/projections';
import { BILLING_REACTOR_FOLLOWERS } from '@app/reactors';
import { migrateToLatest, openDatabase } from '@app/read-store';
import { cliProgram } from '../cli-program';

const ORDERS = 5;

const serviceOrdered = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'ServiceOrdered',
  data: {
    serviceId: `s-${n}`,
    contractId: 'c-1',
    kind: 'shared_hosting',
    plan: 'Plano M',
    billingCycle: 'monthly',
    priceCents: 2990,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    orderedAt: '2026-01-31T15:00:00.000Z',
    firstDueDate: '2026-01-31',
    anchorDay: 31,
  },
  metadata: {
    actor: { kind: 'system', rule: 'test' },
    occurredAt: new Date().toISOString(),
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  },
});

/** A status table's rows by projection name, each row's cells split on the column gaps. */
const rowsOf = (lines: readonly string[]): Record<string, string[]> => {
  const rows: Record<string, string[]> = {};
  for (const line of lines.slice(1)) {
    const cells = line.split(/\s{2,}/);
    rows[cells[0] ?? ''] = cells;
  }
  return rows;
};

describe('npm run cli -- projections', () => {
  it('shows each projection behind the log, rebuilds one with its progress, then shows it serving at the head', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-projections-'));
    const config = readConfig({ DATA_DIR: dataDir });
    try {
      const database = await openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const store = PostgresEventStore.open(database.db);
        for (let n = 1; n <= ORDERS; n++)
          await store.append(`service-s-${n}`, [serviceOrdered(n)], 'no_stream');
      } finally {
        await database.close();
      }
      const run = async (...args: string[]) => {
        const lines: string[] = [];
        await cliProgram({
          config: () => config,
          jwtSecret: () => 'unused-secret-of-32-characters-long',
          write: (line) => lines.push(line),
        }).parseAsync(['node', 'cli', 'projections', ...args]);
        return lines;
      };

      const before = await run('status');
      expect(before[0]).toMatch(
        /^projection\s+version\s+state\s+health\s+checkpoint\s+head\s+lag events\s+lag s/,
      );
      const unbuilt = rowsOf(before);
      expect(Object.keys(unbuilt).sort()).toEqual(
        [...READ_MODEL_PROJECTIONS, ...BILLING_REACTOR_FOLLOWERS].map((p) => p.name).sort(),
      );
      // The reactor that answers orders has them all ahead of it too: nothing runs it here.
      expect(unbuilt['reactor:first-invoice']!.slice(1, 4)).toEqual(['1', 'active', 'not started']);
      expect(unbuilt['reactor:first-invoice']![6]).toBe(String(ORDERS));
      expect(unbuilt['reactor:payments']![6]).toBe('0');
      expect(unbuilt['services']!.slice(1, 4)).toEqual(['1', 'unregistered', 'not started']);
      expect(unbuilt['services']![6]).toBe(String(ORDERS));
      expect(unbuilt['tickets']![6]).toBe('0');

      const rebuilt = await run('rebuild', 'services');
      expect(rebuilt.at(-1)).toMatch(
        new RegExp(
          `^rebuilt services v1: ${ORDERS} events in [0-9.]+ s \\([0-9]+ events/s\\); queries read it now$`,
        ),
      );
      for (const line of rebuilt.slice(0, -1))
        expect(line).toMatch(/^services v1: \d+\/5 events, \d+ events\/s, .+ left$/);

      const after = rowsOf(await run('status'));
      expect(after['services']!.slice(1, 4)).toEqual(['1', 'active', 'running']);
      expect(after['services']![4]).toBe(after['services']![5]);
      expect(after['services']!.slice(6, 9)).toEqual(['0', '0.0', String(ORDERS)]);
      expect(after['invoices']![2]).toBe('unregistered');

      expect(await run('rebuild', 'services')).toEqual([
        'services v1 serves queries and is at the head: nothing to rebuild (a new version rebuilds it from the start, beside this one)',
      ]);
      expect(await run('prune')).toEqual(['nothing to prune: no retired versions']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000); // Each CLI call opens embedded PGlite anew (seconds each on a loaded machine).
});
