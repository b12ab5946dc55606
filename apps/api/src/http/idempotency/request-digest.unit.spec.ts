import { requestDigest, type DigestedRequest } from './request-digest';

const request: DigestedRequest = {
  method: 'POST',
  route: '/contracts/:id/contacts',
  params: { id: 'c-1' },
  body: { name: 'Ana', email: 'ana@example.com', categories: ['billing', 'technical'] },
  userId: 'user-1',
};

describe('requestDigest', () => {
  it('is a 128-bit hex digest, the same for the same request', () => {
    expect(requestDigest(request)).toMatch(/^[0-9a-f]{32}$/);
    expect(requestDigest({ ...request })).toBe(requestDigest(request));
  });

  it('does not depend on the order of keys, at any depth, nor on the case of the method', () => {
    const reordered: DigestedRequest = {
      userId: 'user-1',
      params: { id: 'c-1' },
      body: { categories: ['billing', 'technical'], email: 'ana@example.com', name: 'Ana' },
      route: '/contracts/:id/contacts',
      method: 'post',
    };
    expect(requestDigest(reordered)).toBe(requestDigest(request));
    expect(requestDigest({ ...request, body: { outer: { b: 1, a: [{ y: 2, x: 1 }] } } })).toBe(
      requestDigest({ ...request, body: { outer: { a: [{ x: 1, y: 2 }], b: 1 } } }),
    );
  });

  it('leaves undefined fields out, and reads values as JSON gives them', () => {
    expect(requestDigest({ ...request, body: { name: 'Ana', nickname: undefined } })).toBe(
      requestDigest({ ...request, body: { name: 'Ana' } }),
    );
    expect(requestDigest({ ...request, body: { at: new Date('2026-12-01T10:00:00.000Z') } })).toBe(
      requestDigest({ ...request, body: { at: '2026-12-01T10:00:00.000Z' } }),
    );
    expect(requestDigest({ ...request, body: undefined })).toBe(requestDigest({ ...request, body: null }));
  });

  it.each<[string, Partial<DigestedRequest>]>([
    ['method', { method: 'PUT' }],
    ['route', { route: '/contracts/:id/users' }],
    ['path parameter', { params: { id: 'c-2' } }],
    ['body value', { body: { ...(request.body as object), name: 'Bia' } }],
    ['array order', { body: { ...(request.body as object), categories: ['technical', 'billing'] } }],
    ['extra body field', { body: { ...(request.body as object), phone: '+5511987654321' } }],
    ['value type', { params: { id: 'c-1' }, body: { ...(request.body as object), name: 1 } }],
    ['caller', { userId: 'user-2' }],
  ])('changes with the %s', (_what, change) => {
    expect(requestDigest({ ...request, ...change })).not.toBe(requestDigest(request));
  });
});
