import { EmptyBodyPipe } from './empty-body.pipe';

describe('EmptyBodyPipe', () => {
  const pipe = new EmptyBodyPipe();
  const problemsOf = (value: unknown): unknown => {
    try {
      pipe.transform(value);
      return undefined;
    } catch (error) {
      return (error as { code: string; details: unknown }).details;
    }
  };

  it('lets no body and an empty object through', () => {
    expect(problemsOf(undefined)).toBeUndefined();
    expect(problemsOf(null)).toBeUndefined();
    expect(problemsOf({})).toBeUndefined();
  });

  it('refuses each field sent, by name', () => {
    expect(problemsOf({ reason: 'x', note: 'y' })).toEqual([
      { field: 'reason', message: 'property reason should not exist' },
      { field: 'note', message: 'property note should not exist' },
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const value of [[], 'text', 7]) {
      expect(problemsOf(value)).toEqual([{ field: 'body', message: 'body must be an empty object' }]);
    }
  });
});
