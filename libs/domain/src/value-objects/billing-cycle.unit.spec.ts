import { BILLING_CYCLES, cycleMonths, isBillingCycle, nextDueDate, parseBillingCycle } from './billing-cycle';

/** Matches a thrown error by its fields (code, details, message). */
const failure = (fields: object): Error => expect.objectContaining(fields) as Error;

describe('billing cycle', () => {
  it('counts every cycle in months', () => {
    expect(BILLING_CYCLES.map(cycleMonths)).toEqual([1, 3, 6, 12]);
  });

  it.each([
    ['monthly', '2024-01-15', '2024-02-15'],
    ['quarterly', '2024-01-15', '2024-04-15'],
    ['semiannual', '2024-01-15', '2024-07-15'],
    ['annual', '2024-01-15', '2025-01-15'],
  ] as const)('a %s service due on %s is next due on %s', (cycle, current, next) => {
    expect(nextDueDate(current, cycle, 15)).toBe(next);
  });

  it('clamps a service billed on the 31st to February and brings it back to the 31st', () => {
    expect(nextDueDate('2024-01-31', 'monthly', 31)).toBe('2024-02-29');
    expect(nextDueDate('2024-02-29', 'monthly', 31)).toBe('2024-03-31');
    expect(nextDueDate('2023-01-31', 'monthly', 31)).toBe('2023-02-28');
    expect(nextDueDate('2023-11-30', 'quarterly', 31)).toBe('2024-02-29');
    expect(nextDueDate('2024-08-31', 'semiannual', 31)).toBe('2025-02-28');
  });

  it('moves an annual service ordered on Feb 29 to Feb 28, and back to the 29th in the next leap year', () => {
    expect(nextDueDate('2024-02-29', 'annual', 29)).toBe('2025-02-28');
    expect(nextDueDate('2027-02-28', 'annual', 29)).toBe('2028-02-29');
  });

  it('parses the four cycles and refuses anything else', () => {
    for (const cycle of BILLING_CYCLES) expect(parseBillingCycle(cycle)).toBe(cycle);
    expect(isBillingCycle('weekly')).toBe(false);
    expect(isBillingCycle(1)).toBe(false);
    expect(() => parseBillingCycle('weekly')).toThrow(
      failure({
        code: 'VALIDATION_FAILED',
        details: { field: 'billingCycle' },
        message: 'billingCycle must be one of monthly, quarterly, semiannual, annual',
      }),
    );
  });
});
