import { WorkerModule } from '@app/worker-runtime';
import { startApiTestApp } from './api-test-app';

describe('the worker inside the API process', () => {
  it.each([
    ['runs', 'true', true],
    ['does not run', 'false', false],
  ])('%s with RUN_WORKER=%s', async (_case, runWorker, expected) => {
    const api = await startApiTestApp({ env: { RUN_WORKER: runWorker } });
    try {
      const found = (() => {
        try {
          return api.app.get(WorkerModule, { strict: false }) instanceof WorkerModule;
        } catch {
          return false;
        }
      })();
      expect(found).toBe(expected);
    } finally {
      await api.close();
    }
  });
});
