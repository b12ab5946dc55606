import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@app/config';
import { cliProgram } from '../cli-program';

describe('npm run cli -- billing-clock run', () => {
  it('runs the clock as of --at on the embedded database and prints its counts; a bad instant is refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-billing-clock-'));
    try {
      const lines: string[] = [];
      const run = (...args: string[]) =>
        cliProgram(
          {
            config: () => readConfig({ DATA_DIR: dataDir }),
            jwtSecret: () => 'unused-secret-of-32-characters-long',
            write: (line) => lines.push(line),
          },
          (program) => program.exitOverride(),
        ).parseAsync(['node', 'cli', ...args]);
      await run('billing-clock', 'run', '--at', '2024-02-29T03:00:00Z');
      expect(JSON.parse(lines[0]!)).toMatchObject({
        at: '2024-02-29T03:00:00.000Z',
        day: '2024-02-29',
        counts: { 'issue-invoices': 0, 'mark-overdue': 0, 'suspend-unpaid': 0 },
      });
      await expect(run('billing-clock', 'run', '--at', 'ontem')).rejects.toThrow(
        'at must be an ISO-8601 instant',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
