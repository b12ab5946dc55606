import { Writable } from 'node:stream';
import { Test } from '@nestjs/testing';
import { readConfig } from '@app/config';
import { openTestDatabase } from '@app/testing';
import { WorkerModule } from '@app/worker-runtime';
import { WorkerAppModule } from './worker-app.module';

/** The worker app on a test database; what it logs through Nest's logger goes to `onLog`, one call's words each. */
const startWorker = async (env: Record<string, string>, onLog: (words: readonly unknown[]) => void) => {
  const config = readConfig(env);
  const moduleRef = await Test.createTestingModule({
    imports: [
      WorkerAppModule.forRoot(config, {
        openDatabase: openTestDatabase,
        logger: { destination: new Writable({ write: (_chunk, _encoding, done) => done() }) },
      }),
    ],
  })
    .setLogger({
      log: (...words: unknown[]) => onLog(words),
      error: () => undefined,
      warn: (...words: unknown[]) => onLog(words),
    })
    .compile();
  return moduleRef.init();
};

describe('the worker process', () => {
  it('runs the billing clock once it starts, then every BILLING_CLOCK_INTERVAL', async () => {
    const runs: number[] = [];
    const started = Date.now();
    const app = await startWorker({ BILLING_CLOCK_INTERVAL: '1s' }, (words) => {
      if (words.some((word) => typeof word === 'string' && word.startsWith('Billing clock ran as of'))) {
        runs.push(Date.now());
      }
    });
    try {
      for (let waited = 0; runs.length < 3 && waited < 15_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(runs.length).toBeGreaterThanOrEqual(3);
      // The first at start, not an interval later; the next ones about a second apart.
      expect(runs[0]! - started).toBeLessThan(runs[2]! - runs[0]!);
      expect(runs[2]! - runs[1]!).toBeGreaterThanOrEqual(900);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('starts the shared worker runtime on its own infrastructure and stops cleanly', async () => {
    const app = await startWorker({ LOG_LEVEL: 'silent' }, () => undefined);
    try {
      expect(app.get(WorkerModule)).toBeInstanceOf(WorkerModule);
    } finally {
      await app.close();
    }
  });
});
