import { commandDigest, deterministicUuid } from './deterministic-id';

// Stored events carry these ids and digests: a retry after an upgrade must derive the same ones, or it would be
// appended a second time (an id) or refused as another request (a digest). The values are the first release's.
describe('deterministic ids and digests', () => {
  it('derives the same event id from the same parts, as every release before', () => {
    expect(deterministicUuid('cmd-1', 'contract-abc', '0')).toBe('20ad203b-6d2d-5945-a776-36efbebc9586');
    expect(deterministicUuid('cmd-1', 'contract-abc', '1')).not.toBe(
      deterministicUuid('cmd-1', 'contract-abc', '0'),
    );
  });

  it('lays the id out as a version-5 UUID', () => {
    expect(deterministicUuid('any', 'parts')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('digests a command the same whatever its key order, leaving undefined fields out', () => {
    const digest = commandDigest({ type: 'AddContact', data: { b: 1, a: [{ d: 2, c: undefined }] } });
    expect(digest).toBe('0b4bc08e26c6a8a362fcdc584b0edcd0');
    expect(commandDigest({ data: { a: [{ d: 2 }], b: 1 }, type: 'AddContact' })).toBe(digest);
    expect(commandDigest({ type: 'AddContact', data: { b: 2, a: [{ d: 2 }] } })).not.toBe(digest);
  });

  it('keeps the digest of nested, empty, null and non-ASCII content as it was', () => {
    const content = {
      z: [],
      y: {},
      x: [null, undefined, 0, '', { ç: 'Ação', b: [[1, { a: true }]] }],
      w: null,
      '10': 'numeric key',
      '2': 'another',
    };
    expect(commandDigest(content)).toBe('5a0f64b9ab36cfcf74bec81e2a12333e');
  });
});
