import { assertNever } from './exhaustive';

describe('assertNever', () => {
  it('throws naming the unhandled value', () => {
    expect(() => assertNever('surprise' as never)).toThrow('Unhandled case: "surprise"');
  });
});
