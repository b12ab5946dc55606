import { RequestValidationError } from '../http';
import { MAX_LIMIT, pageOf, pageRequestOf } from './page-request';

describe('list pages', () => {
  it('defaults to 50 items from the start', () => {
    expect(pageRequestOf({})).toEqual({ limit: 50, after: undefined });
  });

  it.each(['0', '501', '-1', '1.5', 'ten', '', '1e2'])('refuses limit=%s with a 400 naming it', (limit) => {
    expect(() => pageRequestOf({ limit })).toThrow(RequestValidationError);
  });

  it('accepts the bounds', () => {
    expect(pageRequestOf({ limit: '1' }).limit).toBe(1);
    expect(pageRequestOf({ limit: String(MAX_LIMIT) }).limit).toBe(MAX_LIMIT);
  });

  it.each(['nope!', 'eyJ4IjoxfQ', Buffer.from('not json').toString('base64url'), 'a'.repeat(401)])(
    'refuses a cursor it did not give out: %s',
    (cursor) => expect(() => pageRequestOf({ cursor })).toThrow(RequestValidationError),
  );

  it('gives a cursor only when there is more, and the cursor resumes after the last item', () => {
    const rows = ['a', 'b', 'c'];
    const first = pageOf(
      rows,
      { limit: 2, after: undefined },
      (row) => row,
      (row) => row.toUpperCase(),
    );
    expect(first.items).toEqual(['A', 'B']);
    expect(pageRequestOf({ cursor: first.nextCursor! }).after).toBe('b');
    expect(
      pageOf(
        ['c'],
        { limit: 2, after: 'b' },
        (row) => row,
        (row) => row,
      ).nextCursor,
    ).toBeNull();
  });
});
