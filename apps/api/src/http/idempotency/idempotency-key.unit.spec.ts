import type { Caller } from '@app/platform';
import { RequestValidationError } from '../errors/api-error';
import { commandIdFor, entityIdFor, parseIdempotencyKey } from './idempotency-key';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ana: Caller = { userId: 'ana', email: 'ana@example.com', roles: ['customer'] };
const bia: Caller = { userId: 'bia', email: 'bia@example.com', roles: ['customer'] };

describe('parseIdempotencyKey', () => {
  it('takes the client key as it is', () => {
    expect(parseIdempotencyKey('order 2026-12-01 #1 ~!')).toEqual({
      value: 'order 2026-12-01 #1 ~!',
      supplied: true,
    });
    expect(parseIdempotencyKey('k'.repeat(200)).value).toHaveLength(200);
  });

  it('gives a fresh random id when there is no key', () => {
    const first = parseIdempotencyKey(undefined);
    const second = parseIdempotencyKey(undefined);
    expect(first.supplied).toBe(false);
    expect(first.value).toMatch(UUID);
    expect(second.value).not.toBe(first.value);
  });

  it.each([
    ['empty', ''],
    ['201 characters long', 'k'.repeat(201)],
    ['holding a control character', 'abc\u0007'],
    ['holding a tab', 'a\tb'],
    ['not ASCII', 'pedido-nº-1'],
    ['sent twice', ['a', 'b']],
  ])('refuses a key %s with a 400 naming the header, not echoing it', (_case, header) => {
    let thrown: unknown;
    try {
      parseIdempotencyKey(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RequestValidationError);
    expect((thrown as RequestValidationError).problems).toEqual([
      {
        field: 'Idempotency-Key',
        message: 'Idempotency-Key must be 1 to 200 printable ASCII characters, sent once',
      },
    ]);
  });
});

describe('commandIdFor and entityIdFor', () => {
  const key = { value: 'retry-me', supplied: true } as const;

  it('derive the same UUIDs from the same caller and key, so a retry finds the first command', () => {
    expect(commandIdFor(ana, key)).toMatch(UUID);
    expect(commandIdFor(ana, key)).toBe(commandIdFor(ana, { ...key }));
    expect(entityIdFor(ana, key, 'contract')).toMatch(UUID);
    expect(entityIdFor(ana, key, 'contract')).toBe(entityIdFor(ana, { ...key }, 'contract'));
  });

  it('keep one caller’s keys apart from another’s, and one kind of entity apart from another', () => {
    expect(commandIdFor(bia, key)).not.toBe(commandIdFor(ana, key));
    expect(entityIdFor(bia, key, 'contract')).not.toBe(entityIdFor(ana, key, 'contract'));
    expect(entityIdFor(ana, key, 'service')).not.toBe(entityIdFor(ana, key, 'contract'));
    expect(entityIdFor(ana, { value: 'another', supplied: true }, 'contract')).not.toBe(
      entityIdFor(ana, key, 'contract'),
    );
    expect(entityIdFor(ana, key, 'contract')).not.toBe(commandIdFor(ana, key));
  });

  it('without a client key, use the random one for the command and a random entity id each time', () => {
    const random = parseIdempotencyKey(undefined);
    expect(commandIdFor(ana, random)).toBe(random.value);
    expect(entityIdFor(ana, random, 'contract')).toMatch(UUID);
    expect(entityIdFor(ana, random, 'contract')).not.toBe(entityIdFor(ana, random, 'contract'));
  });
});
