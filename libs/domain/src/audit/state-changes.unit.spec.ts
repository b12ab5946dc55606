import { stateChanges } from './state-changes';

describe('stateChanges: the fields an event changed, from the states before and after it', () => {
  it('reports nothing for equal states', () => {
    expect(stateChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('walks nested objects in the order of their field names and reports a list of values whole', () => {
    expect(
      stateChanges(
        { status: 'active', plan: { name: 'p1', permissions: ['billing'] } },
        { status: 'suspended', plan: { name: 'p1', permissions: ['billing', 'tickets'] } },
      ),
    ).toEqual([
      { path: 'plan.permissions', before: ['billing'], after: ['billing', 'tickets'] },
      { path: 'status', before: 'active', after: 'suspended' },
    ]);
  });

  it('compares lists of items with ids item by item: users.u-1.permissions', () => {
    const before = {
      users: [
        { userId: 'u-1', permissions: ['billing'] },
        { userId: 'u-2', permissions: ['tickets'] },
      ],
    };
    const after = {
      users: [
        { userId: 'u-2', permissions: ['tickets'] },
        { userId: 'u-1', permissions: ['billing', 'orders'] },
        { userId: 'u-3', permissions: [] },
      ],
    };
    expect(stateChanges(before, after)).toEqual([
      { path: 'users.u-1.permissions', before: ['billing'], after: ['billing', 'orders'] },
      { path: 'users.u-3', before: null, after: { userId: 'u-3', permissions: [] } },
    ]);
  });

  it('gives a field that appears or disappears null on its missing side', () => {
    expect(stateChanges({ status: 'none' }, { status: 'open', total: 10 })).toEqual([
      { path: 'status', before: 'none', after: 'open' },
      { path: 'total', before: null, after: 10 },
    ]);
    expect(stateChanges({ suspension: { reason: 'abuse' } }, {})).toEqual([
      { path: 'suspension', before: { reason: 'abuse' }, after: null },
    ]);
  });

  it('takes an absent field and a null one for the same', () => {
    expect(stateChanges({ cancellation: null }, {})).toEqual([]);
  });

  it('reports a list whole when its items share no unique id', () => {
    const lines = (amount: number) => ({
      lines: [{ serviceId: 's-1', amountCents: amount }, { serviceId: 's-1' }],
    });
    expect(stateChanges(lines(1), lines(2))).toEqual([
      { path: 'lines', before: lines(1).lines, after: lines(2).lines },
    ]);
  });
});
