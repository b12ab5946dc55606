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
  /** The instants at which a worker with this interval logged a billing clock run, watched for `watchMs`. */
  const billingClockRuns = async (interval: string, enough: number, watchMs: number): Promise<number[]> => {
    const runs: number[] = [];
    const app = await startWorker({ BILLING_CLOCK_INTERVAL: interval }, (words) => {
      if (words.some((word) => typeof word === 'string' && word.startsWith('Billing clock ran as of'))) {
        runs.push(Date.now());
      }
    });
    try {
      for (let waited = 0; runs.length < enough && waited < watchMs; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return runs;
    } finally {
      await app.close();
    }
  };

  it('runs the billing clock once it starts, not an interval later', async () => {
    const runs = await billingClockRuns('1h', 2, 5_000);
    expect(runs).toHaveLength(1);
  }, 30_000);

  it('runs the billing clock again every BILLING_CLOCK_INTERVAL', async () => {
    const runs = await billingClockRuns('1s', 3, 15_000);
    // Against one run in the same time with an interval of an hour (above).
    expect(runs.length).toBeGreaterThanOrEqual(3);
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
