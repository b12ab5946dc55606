import { Writable } from 'node:stream';
import { Test } from '@nestjs/testing';
import { readConfig } from '@app/config';
import { READ_MODEL_PROJECTIONS } from '@app/projections';
import { openTestDatabase } from '@app/testing';
import { WorkerAppModule } from './worker-app.module';
import { WorkerMetricsServer } from './worker-metrics.server';

describe('the worker process metrics', () => {
  it('serves the lag of every projection and its process figures at GET /metrics on METRICS_PORT', async () => {
    const config = readConfig({ LOG_LEVEL: 'silent', METRICS_PORT: '0' });
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
      const port = app.get(WorkerMetricsServer).port();
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const projection of READ_MODEL_PROJECTIONS) {
        expect(text).toMatch(
          new RegExp(
            `^projection_lag_seconds\\{projection="${projection.name}",version="${projection.version}",state="[a-z]+"\\} 0$`,
            'm',
          ),
        );
      }
      expect(text).toMatch(/^# TYPE projection_events_applied_total counter$/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
      expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
