import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { ROLES, signAccessToken, type Caller } from '@app/platform';
import { pathOf, type BodyProperty, type CommandOperation } from './command-operations';

/**
 * Requests an API must refuse, whatever endpoint they go to, generated with fast-check: each one is refused
 * for a reason that holds on every command endpoint (no valid token, a body no DTO accepts, a body that is not
 * JSON, or a target that does not exist), dressed with malformed headers, path ids and values.
 */
export type FuzzRequest = Readonly<{
  method: CommandOperation['method'];
  path: string;
  credentials: Credentials;
  headers: Readonly<Record<string, string | readonly string[]>>;
  body: FuzzBody | undefined;
  /** Why the request must be refused (shown when it is not). */
  refusedBecause: 'no valid token' | 'invalid body' | 'not JSON' | 'no such target';
}>;

export type FuzzBody = Readonly<{ contentType: string | undefined; bytes: string | Buffer }>;

/** What goes in the Authorization header; every kind but `valid` must be answered 401. */
export type Credentials =
  | Readonly<{ kind: 'none' }>
  | Readonly<{ kind: 'malformed'; header: string }>
  | Readonly<{ kind: 'wrong-signature' | 'alg-none' | 'expired' | 'no-expiry'; caller: Caller }>
  | Readonly<{ kind: 'other-algorithm'; algorithm: 'HS384' | 'HS512'; caller: Caller }>
  | Readonly<{ kind: 'bad-claims'; claims: Readonly<Record<string, unknown>> }>
  | Readonly<{ kind: 'valid'; caller: Caller }>;

/** What the generated requests may aim at beyond random ids: a real contract and its real callers. */
export type FuzzTargets = Readonly<{ contractId: string; callers: readonly Caller[] }>;

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'Application/JSON',
  'application/vnd.api+json',
  'application/merge-patch+json',
];
const NOT_JSON_TYPES = [
  'text/plain',
  'text/json',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/json; charset=iso-8859-1',
  '*/*',
  'application/',
  ';;;',
  '',
];

/** Keys no command body may carry: payment data, privilege bits, prototype keys and inherited names. */
const POISON_KEYS = [
  'cardNumber',
  'cvv',
  'cvc',
  'pan',
  'password',
  'isAdmin',
  'roles',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const claimsOf = (caller: Caller): Record<string, unknown> => ({
  sub: caller.userId,
  email: caller.email,
  roles: [...caller.roles],
});

const now = (): number => Math.floor(Date.now() / 1000);

/** The Authorization header for `credentials`, tokens signed with `secret` where they are meant to verify. */
export const authorizationFor = async (
  credentials: Credentials,
  secret: string,
): Promise<string | undefined> => {
  const key = new TextEncoder().encode(secret);
  const sign = (claims: Record<string, unknown>, algorithm = 'HS256', signingKey = key) =>
    new SignJWT(claims).setProtectedHeader({ alg: algorithm, typ: 'JWT' }).setIssuedAt().sign(signingKey);
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'malformed':
      return credentials.header;
    case 'valid':
      return `Bearer ${await signAccessToken(secret, credentials.caller)}`;
    case 'wrong-signature':
      return `Bearer ${await sign(
        { ...claimsOf(credentials.caller), exp: now() + 600 },
        'HS256',
        new TextEncoder().encode(`${secret}-but-not-quite`),
      )}`;
    case 'alg-none':
      return `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        ...claimsOf(credentials.caller),
        exp: now() + 600,
      })}.`;
    case 'expired':
      return `Bearer ${await sign({ ...claimsOf(credentials.caller), exp: now() - 120 })}`;
    case 'no-expiry':
      return `Bearer ${await sign(claimsOf(credentials.caller))}`;
    case 'other-algorithm':
      return `Bearer ${await sign({ ...claimsOf(credentials.caller), exp: now() + 600 }, credentials.algorithm)}`;
    case 'bad-claims':
      return `Bearer ${await sign({ exp: now() + 600, ...credentials.claims })}`;
    default: {
      const _exhaustive: never = credentials;
      return _exhaustive;
    }
  }
};

/** An HMAC that is well-formed but made with another key, or no hex at all. */
const signatureArb = fc.oneof(
  fc.string().map((text) => createHmac('sha256', 'not-the-webhook-secret').update(text).digest('hex')),
  fc.stringMatching(/^[0-9a-f]{0,80}$/),
  fc.constantFrom('', 'sha256=', 'null', ' '),
);

const callerArb: fc.Arbitrary<Caller> = fc.record({
  userId: fc.oneof(fc.uuid(), fc.stringMatching(/^[\x21-\x7e]{1,128}$/)),
  email: fc.oneof(fc.emailAddress(), fc.constant('ana@exemplo.com.br')),
  roles: fc.subarray([...ROLES], { minLength: 1 }),
});

const validCredentialsArb = (targets: FuzzTargets): fc.Arbitrary<Credentials> =>
  fc.oneof(callerArb, fc.constantFrom(...targets.callers)).map((caller) => ({ kind: 'valid', caller }));

const invalidCredentialsArb = (targets: FuzzTargets): fc.Arbitrary<Credentials> => {
  const caller = fc.oneof(callerArb, fc.constantFrom(...targets.callers));
  return fc.oneof(
    fc.constant({ kind: 'none' } as const),
    fc
      .oneof(
        fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  ', 'Basic dXNlcjpwYXNz', 'Token abc', 'bearer'),
        fc.string({ maxLength: 300 }).map((text) => `Bearer ${text.replace(/[^\x21-\x7e]/g, '')}x`),
        fc
          .tuple(fc.base64String(), fc.base64String(), fc.base64String())
          .map((parts) => `Bearer ${parts.join('.')}`),
        fc.stringMatching(/^[A-Za-z0-9._-]{1,60}$/).map((text) => `Bearer ${text} ${text}`),
      )
      .map((header) => ({ kind: 'malformed', header }) as const),
    fc
      .tuple(
        fc.constantFrom<'wrong-signature' | 'alg-none' | 'expired' | 'no-expiry'>(
          'wrong-signature',
          'alg-none',
          'expired',
          'no-expiry',
        ),
        caller,
      )
      .map(([kind, who]) => ({ kind, caller: who })),
    fc
      .tuple(fc.constantFrom<'HS384' | 'HS512'>('HS384', 'HS512'), caller)
      .map(([algorithm, who]) => ({ kind: 'other-algorithm', algorithm, caller: who }) as const),
    fc
      .oneof(
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: [] }),
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: ['root'] }),
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: 'admin' }),
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: [1] }),
        fc.constant({ email: 'a@b.co', roles: ['admin'] }),
        fc.constant({ sub: 'two words', email: 'a@b.co', roles: ['admin'] }),
        fc.constant({ sub: 'x'.repeat(200), email: 'a@b.co', roles: ['admin'] }),
        fc.constant({ sub: 42, email: 'a@b.co', roles: ['admin'] }),
        fc.constant({ sub: 'u-1', email: 'not-an-email', roles: ['admin'] }),
        fc.constant({ sub: 'u-1', roles: ['admin'] }),
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: ['admin'], exp: 'tomorrow' }),
        fc.constant({ sub: 'u-1', email: 'a@b.co', roles: ['admin'], nbf: now() + 3600 }),
      )
      .map((claims) => ({ kind: 'bad-claims', claims }) as const),
  );
};

/** Ids that name nothing: well-formed but unknown, or malformed in every way a path can carry. */
const unknownIdArb = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.constantFrom('__proto__', 'constructor', 'null', 'undefined', '0', '-', '_'),
);
const malformedIdArb = fc.oneof(
  fc.constantFrom(
    '',
    '.',
    '..',
    '...',
    'a.b',
    '%2e%2e',
    '%2E',
    '%2F',
    '%5C',
    '%00',
    '%20',
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AE',
    '%252e',
    '~',
    "'",
    '%F0%9F%92%A9',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.integer({ min: 65, max: 1500 }).map((length) => 'x'.repeat(length)),
  fc
    .constantFrom("1' or '1'='1", '<script>', '../../etc/passwd', 'a/b', 'a b', 'a?b=c', 'a#b', 'ç')
    .map(encodeURIComponent),
);

const stringValueArb = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '4111111111111111',
      '529.982.247-25',
      '11.222.333/0001-81',
      '+5511987654321',
      'ana@exemplo.com.br',
      'billing',
      'boleto',
      'credit_card',
      'monthly',
      'shared_hosting',
      '2026-05-01T00:00:00.000Z',
      '\u0000',
      '\u202e',
    ),
  },
  // Long, but mostly within the body limit (bodies over it are generated on purpose elsewhere).
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 12_000 }).map((length) => 'x'.repeat(length)) },
);
const numberValueArb = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308),
);

const valueOfType = (type: BodyProperty['type'], itemType?: BodyProperty['type']): fc.Arbitrary<unknown> => {
  switch (type) {
    case 'string':
      return stringValueArb;
    case 'number':
    case 'integer':
      return numberValueArb;
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.oneof(
        { weight: 3, arbitrary: fc.array(valueOfType(itemType ?? 'string'), { minLength: 1, maxLength: 3 }) },
        fc.array(itemType === undefined ? fc.jsonValue({ maxDepth: 2 }) : valueOfType(itemType), {
          maxLength: 12,
        }),
      );
    case 'object':
      return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    case undefined:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

/** A value no validator of `type` accepts (and none that a type conversion could turn into one). */
const wrongValueOfType = (type: BodyProperty['type']): fc.Arbitrary<unknown> | undefined => {
  switch (type) {
    case 'string':
      return fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.array(fc.integer(), { minLength: 1 }));
    case 'number':
    case 'integer':
      return fc.oneof(fc.constantFrom('twelve', 'NaN', ''), fc.boolean(), fc.constant({}), fc.constant([1]));
    case 'boolean':
      return fc.oneof(fc.constantFrom('yes please', 'maybe'), fc.constant({}), fc.constant([true]));
    case 'array':
      return fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.constant({ 0: 'a' }));
    case 'object':
      return fc.oneof(fc.string(), fc.integer(), fc.constant(true));
    case undefined:
      return undefined;
  }
};

type Pair = readonly [key: string, json: string];

/** An object's JSON text from key/value text pairs (so `__proto__` can be an own key, as on the wire). */
const objectText = (pairs: readonly Pair[]): string =>
  `{${pairs.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;

const knownPairsArb = (properties: readonly BodyProperty[]): fc.Arbitrary<Pair[]> =>
  properties.length === 0
    ? fc.constant([])
    : fc
        .tuple(
          ...properties.map((property) =>
            fc.option(
              valueOfType(property.type, property.itemType).map((value): Pair => [
                property.name,
                JSON.stringify(value) ?? 'null',
              ]),
              { freq: 10, nil: undefined },
            ),
          ),
        )
        .map((pairs) => pairs.filter((pair): pair is Pair => pair !== undefined));

/** A body shaped like the operation's own, with values of the right JSON types (it may well be valid). */
const plausibleTextArb = (properties: readonly BodyProperty[]): fc.Arbitrary<string> =>
  knownPairsArb(properties).map(objectText);

const deeplyNested = (depth: number, asArray: boolean): string =>
  asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** What an operation without a body accepts as its body, beside none. */
const BODY_LESS_ACCEPTS: ReadonlySet<string> = new Set(['{}', 'null']);

/** A body no DTO accepts: every one of these is refused whatever the endpoint's fields are. */
const invalidTextArb = (properties: readonly BodyProperty[]): fc.Arbitrary<string | Buffer> => {
  const names = new Set(properties.map((property) => property.name));
  const unknownKey = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...POISON_KEYS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((key) => !names.has(key)) },
  );
  const poisonPair = fc.tuple(
    unknownKey,
    fc.oneof(
      fc.constantFrom('"4111111111111111"', '"123"', '{}', '{"admin":true}', 'null'),
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    ),
  );
  const typed = properties.filter((property) => wrongValueOfType(property.type) !== undefined);
  const variants: fc.Arbitrary<string | Buffer>[] = [
    // Unknown fields beside plausible ones, in any order.
    fc
      .tuple(knownPairsArb(properties), fc.array(poisonPair, { minLength: 1, maxLength: 3 }))
      .chain(([known, poison]) =>
        fc.shuffledSubarray([...known, ...poison], { minLength: known.length + poison.length }),
      )
      .map(objectText),
    // An array, a string, a number where an object is expected.
    fc.oneof(
      plausibleTextArb(properties).map((text) => `[${text}]`),
      fc.constantFrom('[]', '""', '"text"', '42', 'true', 'null', '[null]'),
    ),
    // Not JSON at all, or truncated JSON.
    fc.oneof(
      fc.constantFrom(
        '{',
        '{"a":',
        '{"a":1,}',
        "{'a':1}",
        '{"a":NaN}',
        '[1,2',
        'nul',
        '{"a":1}{"b":2}',
        '{"a":01}',
      ),
      // A body-less operation's plausible text is `{}`: cut a longer object instead of filtering forever.
      plausibleTextArb(properties)
        .map((text) => (text.length > 2 ? text : '{"note":"truncated"}'))
        .chain((text) => fc.integer({ min: 1, max: text.length - 1 }).map((end) => text.slice(0, end))),
      fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    ),
    // Nested deeper than any request of the API, at the top or under a known field.
    fc
      .tuple(fc.integer({ min: 33, max: 3_000 }), fc.boolean(), fc.constantFrom(...[...names, 'data']))
      .map(([depth, asArray, key]) => objectText([[key, deeplyNested(depth, asArray)]])),
    // A prototype key one level down.
    fc
      .tuple(fc.constantFrom(...[...names, 'data']), fc.constantFrom('__proto__', 'constructor', 'prototype'))
      .map(([key, poison]) => objectText([[key, objectText([[poison, '{"polluted":true}']])]])),
  ];
  if (typed.length > 0) {
    // Every field there, one of them of a type its validator cannot accept.
    variants.push(
      fc
        .tuple(knownPairsArb(properties), fc.constantFrom(...typed))
        .chain(([known, wrong]) =>
          wrongValueOfType(wrong.type)!.map((value) =>
            objectText([...known.filter(([key]) => key !== wrong.name), [wrong.name, JSON.stringify(value)]]),
          ),
        ),
    );
  }
  return fc.oneof(...variants);
};

const jsonBodyArb = (text: fc.Arbitrary<string | Buffer>): fc.Arbitrary<FuzzBody> =>
  fc.record({ contentType: fc.constantFrom(...JSON_TYPES), bytes: text });

/** Bodies the JSON reader refuses before any route sees them: another media type, or over the size limit. */
const notJsonBodyArb = (properties: readonly BodyProperty[]): fc.Arbitrary<FuzzBody> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        contentType: fc.option(fc.constantFrom(...NOT_JSON_TYPES), { nil: undefined }),
        bytes: fc.oneof(plausibleTextArb(properties), fc.constantFrom('holderName=Ana', '<a>1</a>', 'x')),
      }),
    },
    jsonBodyArb(
      fc
        .integer({ min: 64 * 1024 + 1, max: 200 * 1024 })
        .map((length) => objectText([['padding', JSON.stringify('x'.repeat(length))]])),
    ),
  );

const anyBodyArb = (properties: readonly BodyProperty[]): fc.Arbitrary<FuzzBody | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    jsonBodyArb(plausibleTextArb(properties)),
    jsonBodyArb(invalidTextArb(properties)),
    notJsonBodyArb(properties),
  );

const headersArb = (isWebhookLike: boolean) =>
  fc
    .record(
      {
        idempotencyKey: fc.oneof(
          fc.stringMatching(/^[\x20-\x7e]{1,200}$/),
          fc.uuid(),
          fc.constantFrom('', ' ', 'çã', '\t'),
          fc.integer({ min: 201, max: 400 }).map((length) => 'k'.repeat(length)),
          fc.tuple(fc.uuid(), fc.uuid()).map(([a, b]) => [a, b]),
        ),
        correlationId: fc.oneof(
          fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
          fc.integer({ min: 129, max: 600 }).map((length) => 'c'.repeat(length)),
          fc.constantFrom('two words', 'a/b?x=1', 'ação', '', '\t'),
        ),
        signature: signatureArb,
        accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html', ''),
      },
      { requiredKeys: [] },
    )
    .map(({ idempotencyKey, correlationId, signature, accept }) => {
      const headers: Record<string, string | readonly string[]> = {};
      if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
      if (correlationId !== undefined) headers['X-Correlation-Id'] = correlationId;
      if (signature !== undefined || isWebhookLike) headers['X-Signature'] = signature ?? 'f'.repeat(64);
      if (accept !== undefined) headers.Accept = accept;
      return headers;
    });

const segmentsArb = (
  operation: CommandOperation,
  id: fc.Arbitrary<string>,
): fc.Arbitrary<Record<string, string>> =>
  fc
    .tuple(...operation.pathParams.map((name) => id.map((value) => [name, value] as const)))
    .map((entries) => Object.fromEntries(entries));

/** Requests to `operation` that it must refuse, each for a reason that holds on any command endpoint. */
export const refusedRequestArb = (
  operation: CommandOperation,
  targets: FuzzTargets,
): fc.Arbitrary<FuzzRequest> => {
  const properties = operation.body ?? [];
  const anyId = fc.oneof(unknownIdArb, malformedIdArb, fc.constant(targets.contractId));
  const anyCredentials = fc.oneof(validCredentialsArb(targets), invalidCredentialsArb(targets));
  const build = (
    refusedBecause: FuzzRequest['refusedBecause'],
    credentials: fc.Arbitrary<Credentials>,
    segments: fc.Arbitrary<Record<string, string>>,
    body: fc.Arbitrary<FuzzBody | undefined>,
  ): fc.Arbitrary<FuzzRequest> =>
    fc.record({ credentials, segments, body, headers: headersArb(operation.isPublic) }).map((parts) => ({
      method: operation.method,
      path: pathOf(operation, parts.segments),
      credentials: parts.credentials,
      headers: parts.headers,
      body: parts.body,
      refusedBecause,
    }));
  const variants: fc.Arbitrary<FuzzRequest>[] = [
    build('not JSON', anyCredentials, segmentsArb(operation, anyId), notJsonBodyArb(properties)),
  ];
  if (!operation.isPublic) {
    variants.push(
      build(
        'no valid token',
        invalidCredentialsArb(targets),
        segmentsArb(operation, anyId),
        anyBodyArb(properties),
      ),
    );
  }
  variants.push(
    build(
      'invalid body',
      anyCredentials,
      // Well-formed ids, so that the route matches and only the body can be what is refused.
      segmentsArb(operation, fc.oneof(unknownIdArb, fc.constant(targets.contractId))),
      // A body-less operation takes no body, `{}` or `null`: anything else it refuses like a body no DTO accepts.
      jsonBodyArb(
        operation.body !== undefined
          ? invalidTextArb(properties)
          : invalidTextArb([]).filter((text) => typeof text !== 'string' || !BODY_LESS_ACCEPTS.has(text)),
      ),
    ),
  );
  if (operation.pathParams.length > 0) {
    variants.push(
      build(
        'no such target',
        validCredentialsArb(targets),
        // Mostly well-formed ids and bodies, so that most of these reach the store and are refused there.
        segmentsArb(operation, fc.oneof({ weight: 3, arbitrary: unknownIdArb }, malformedIdArb)),
        fc.oneof({ weight: 3, arbitrary: jsonBodyArb(plausibleTextArb(properties)) }, anyBodyArb(properties)),
      ),
    );
  }
  return fc.oneof(...variants);
};
