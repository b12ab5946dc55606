import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { readConfig } from '@app/config';
import { openDatabase } from '@app/read-store';
import { cliProgram } from '../cli-program';

describe('npm run cli -- demo seed', () => {
  it('writes a demo book into the configured store and says what it wrote', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-demo-'));
    try {
      const lines: string[] = [];
      await cliProgram({
        config: () => readConfig({ DATA_DIR: dataDir }),
        jwtSecret: () => 'unused-secret-of-32-characters-long',
        write: (line) => lines.push(line),
      }).parseAsync([
        'node',
        'cli',
        'demo',
        'seed',
        '--contracts',
        '3',
        '--months',
        '1',
        '--seed',
        '5',
        '--start',
        '2028-02-01',
      ]);
      expect(lines).toEqual([
        expect.stringMatching(/^seeded 3 contracts over 29 days: \d+ commands, \d+ invoices/),
      ]);
      const connection = await openDatabase(readConfig({ DATA_DIR: dataDir }).database);
      try {
        const { rows } = await sql<{ type: string }>`select distinct type from es_events`.execute(
          connection.db,
        );
        expect(rows.map((row) => row.type)).toEqual(
          expect.arrayContaining(['ContractOpened', 'ServiceOrdered', 'InvoiceIssued', 'InvoicePaid']),
        );
      } finally {
        await connection.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Seeding a month on PGlite on disk takes 6 s alone and 30 s beside CI's other suites; one that ran over
    // the default minute on a machine busier still was slow, not wrong.
  }, 180_000);
});
