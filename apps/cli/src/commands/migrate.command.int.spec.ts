import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@app/config';
import { MIGRATIONS } from '@app/read-store';
import { cliProgram } from '../cli-program';

describe('npm run cli -- migrate', () => {
  it('applies every migration to the embedded database, then has nothing to do', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-migrate-'));
    try {
      const lines: string[] = [];
      const run = (...args: string[]) =>
        cliProgram({
          config: () => readConfig({ DATA_DIR: dataDir }),
          jwtSecret: () => 'unused-secret-of-32-characters-long',
          write: (line) => lines.push(line),
        }).parseAsync(['node', 'cli', ...args]);
      await run('migrate');
      await run('migrate');
      expect(lines).toEqual([
        `applied: ${Object.keys(MIGRATIONS).sort().join(', ')}`,
        'nothing to do: the schema is up to date',
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
