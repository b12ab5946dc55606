import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import { readConfig } from '@app/config';
import { DATABASE } from '@app/platform';
import { openTestDatabase } from '@app/testing';
import { AppModule } from '../app.module';

describe('GET /health', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = readConfig({ LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, { openDatabase: openTestDatabase })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableShutdownHooks();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 200 with status ok once the database and the event store answer', async () => {
    const response = await request(app.getHttpServer() as App)
      .get('/health')
      .expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers 503 with a code when the database is gone', async () => {
    const database = app.get<{ close: () => Promise<void> }>(DATABASE);
    await database.close();
    const response = await request(app.getHttpServer() as App)
      .get('/health')
      .expect(503);
    expect(response.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
