import { Body, Controller, Module, Param, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { CorrelationId } from '../request/correlation-id.decorator';
import { ParseIdPipe } from '../request/parse-id.pipe';
import { CommandContext } from './command-context.decorator';
import { IdempotencyKey } from './idempotency-key';

class NoteRequest {
  @IsString()
  text!: string;
}

type Seen = Omit<CommandContext, 'entityId'> & { noteId: string; noteIdAgain: string; correlation: string };

@Controller('test-only/boards/:boardId/notes')
class NotesController {
  @Post()
  add(
    @Param('boardId', ParseIdPipe) _boardId: string,
    @Body() _body: NoteRequest,
    @CommandContext() context: CommandContext,
    @CorrelationId() correlation: string,
    @IdempotencyKey() key: IdempotencyKey,
  ): Seen & { key: IdempotencyKey } {
    const { entityId, ...rest } = context;
    return { ...rest, noteId: entityId('note'), noteIdAgain: entityId('note'), correlation, key };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

describe('@CommandContext(), @IdempotencyKey() and @CorrelationId()', () => {
  let api: ApiTestApp;
  let ana: string;

  beforeAll(async () => {
    api = await startApiTestApp({ imports: [NotesModule] });
    ana = `Bearer ${await api.tokenFor({ userId: 'ana' })}`;
  });

  afterAll(async () => {
    await api.close();
  });

  const post = (board: string, body: object, headers: Record<string, string> = {}) =>
    request(api.server)
      .post(`/test-only/boards/${board}/notes`)
      .set('Authorization', ana)
      .set(headers)
      .send(body);

  it('gives a handler the caller, the correlation id and what derives from the key', async () => {
    const response = await post(
      'b-1',
      { text: 'hi' },
      { 'Idempotency-Key': 'k-1', 'X-Correlation-Id': 'corr-1' },
    );
    expect(response.status).toBe(201);
    const seen = response.body as Seen & { key: IdempotencyKey };
    expect(seen.caller).toEqual({ userId: 'ana', email: 'ana@example.com', roles: ['customer'] });
    expect(seen.correlationId).toBe('corr-1');
    expect(seen.correlation).toBe('corr-1');
    expect(seen.idempotencyKey).toEqual({ value: 'k-1', supplied: true });
    expect(seen.key).toEqual({ value: 'k-1', supplied: true });
    expect(seen.noteIdAgain).toBe(seen.noteId);
  });

  it('answers a retry with the same command id, entity id and digest, and another body with another digest', async () => {
    const headers = { 'Idempotency-Key': 'k-2' };
    const first = (await post('b-1', { text: 'hi' }, headers)).body as Seen;
    const retry = (await post('b-1', { text: 'hi' }, headers)).body as Seen;
    const changed = (await post('b-1', { text: 'bye' }, headers)).body as Seen;
    const otherBoard = (await post('b-2', { text: 'hi' }, headers)).body as Seen;
    expect(retry.commandId).toBe(first.commandId);
    expect(retry.noteId).toBe(first.noteId);
    expect(retry.requestDigest).toBe(first.requestDigest);
    expect(changed.requestDigest).not.toBe(first.requestDigest);
    expect(otherBoard.requestDigest).not.toBe(first.requestDigest);
  });

  it('without a key, gives every request a new command id and entity id', async () => {
    const first = (await post('b-1', { text: 'hi' })).body as Seen;
    const second = (await post('b-1', { text: 'hi' })).body as Seen;
    expect(first.idempotencyKey.supplied).toBe(false);
    expect(second.commandId).not.toBe(first.commandId);
    expect(second.noteId).not.toBe(first.noteId);
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const response = await post('b-1', { text: 'hi' }, { 'Idempotency-Key': 'k'.repeat(201) }).expect(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'Idempotency-Key' }],
    });
  });

  it('refuses an Idempotency-Key sent twice, which Node would join into one', async () => {
    const response = await request(api.server)
      .post('/test-only/boards/b-1/notes')
      .set('Authorization', ana)
      // superagent sends an array as one header line per value; its types only admit that for Cookie.
      .set('Idempotency-Key', ['k-1', 'k-2'] as unknown as string)
      .send({ text: 'hi' })
      .expect(400);
    expect(response.body).toMatchObject({ details: [{ field: 'Idempotency-Key' }] });
  });
});
