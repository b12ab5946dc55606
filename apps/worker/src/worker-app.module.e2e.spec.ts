import { Writable } from 'node:stream';
import { Test } from '@nestjs/testing';
import { readConfig } from '@app/config';
import { openTestDatabase } from '@app/testing';
import { WorkerModule } from '@app/worker-runtime';
import { WorkerAppModule } from './worker-app.module';

describe('the worker process', () => {
  it('starts the shared worker runtime on its own infrastructure and stops cleanly', async () => {
    const config = readConfig({ LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        WorkerAppModule.forRoot(config, {
          openDatabase: openTestDatabase,
          logger: { destination: new Writable({ write: (_chunk, _encoding, done) => done() }) },
        }),
      ],
    })
      .setLogger({ log: () => undefined, error: () => undefined, warn: () => undefined })
      .compile();
    const app = await moduleRef.init();
    try {
      expect(app.get(WorkerModule)).toBeInstanceOf(WorkerModule);
    } finally {
      await app.close();
    }
  });
});
