import fc from 'fast-check';
import {
  addDays,
  addMonthsClamped,
  daysBetween,
  daysInMonth,
  isInstant,
  isLocalDate,
  isOnOrAfter,
  localDate,
  parseInstant,
  parseLocalDate,
} from './calendar';

/** Matches a thrown error by its fields (code, details, message). */
const failure = (fields: object): Error => expect.objectContaining(fields) as Error;

// A failing property reports its first counterexample without shrinking, so mutation runs stay fast.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

describe('calendar (America/Sao_Paulo)', () => {
  describe('localDate', () => {
    it('puts an instant at 01:00 UTC on the previous local day (UTC-3)', () => {
      expect(localDate('2024-03-01T01:00:00Z')).toBe('2024-02-29');
    });
    it('moves to the next local day at 03:00 UTC', () => {
      expect(localDate('2024-03-01T02:59:59.999Z')).toBe('2024-02-29');
      expect(localDate('2024-03-01T03:00:00.000Z')).toBe('2024-03-01');
    });
    it('honours an explicit offset in the instant', () => {
      expect(localDate('2024-03-01T00:30:00-03:00')).toBe('2024-03-01');
    });
    it('pads month and day', () => {
      expect(localDate('2025-01-05T12:00:00Z')).toBe('2025-01-05');
    });
    it('refuses a string that is not an instant', () => {
      expect(() => localDate('yesterday')).toThrow(failure({ code: 'VALIDATION_FAILED' }));
    });
  });

  describe('addDays', () => {
    it('crosses month and year ends', () => {
      expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
      expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
      expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    });
    it('goes back with a negative count and stays with zero', () => {
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(addDays('2024-03-01', 0)).toBe('2024-03-01');
    });
    it('is not thrown off by daylight-saving changes (calendar days, not hours)', () => {
      expect(addDays('2018-11-03', 1)).toBe('2018-11-04');
      expect(addDays('2018-11-04', 1)).toBe('2018-11-05');
    });
  });

  describe('daysBetween', () => {
    it('counts forward as positive, backward as negative, the same day as zero', () => {
      expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
      expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
      expect(daysBetween('2024-03-01', '2024-03-01')).toBe(0);
    });
    it('is the inverse of addDays', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 40_000 }),
          fc.integer({ min: -5000, max: 5000 }),
          (offset, n) => {
            const date = addDays('1990-01-01', offset);
            expect(daysBetween(date, addDays(date, n))).toBe(n);
          },
        ),
      );
    });
  });

  describe('isOnOrAfter', () => {
    it('is true on the same day and later, false before', () => {
      expect(isOnOrAfter('2024-03-01', '2024-03-01')).toBe(true);
      expect(isOnOrAfter('2024-03-02', '2024-03-01')).toBe(true);
      expect(isOnOrAfter('2024-02-29', '2024-03-01')).toBe(false);
    });
  });

  describe('daysInMonth', () => {
    it('knows leap years', () => {
      expect(daysInMonth(2024, 2)).toBe(29);
      expect(daysInMonth(2023, 2)).toBe(28);
      expect(daysInMonth(1900, 2)).toBe(28);
      expect(daysInMonth(2000, 2)).toBe(29);
      expect(daysInMonth(2024, 4)).toBe(30);
      expect(daysInMonth(2024, 12)).toBe(31);
    });
  });

  describe('addMonthsClamped', () => {
    it('clamps Jan 31 + 1 month to the last day of February', () => {
      expect(addMonthsClamped('2023-01-31', 1)).toBe('2023-02-28');
      expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    });
    it('returns to the anchor day when the month has it', () => {
      expect(addMonthsClamped('2024-02-29', 1, 31)).toBe('2024-03-31');
      expect(addMonthsClamped('2024-04-30', 1, 31)).toBe('2024-05-31');
    });
    it('without an anchor keeps the clamped day', () => {
      expect(addMonthsClamped('2024-02-29', 1)).toBe('2024-03-29');
    });
    it('crosses years both ways', () => {
      expect(addMonthsClamped('2024-11-15', 3)).toBe('2025-02-15');
      expect(addMonthsClamped('2024-12-31', 12)).toBe('2025-12-31');
      expect(addMonthsClamped('2024-01-15', -1)).toBe('2023-12-15');
      expect(addMonthsClamped('2024-02-29', 12)).toBe('2025-02-28');
      expect(addMonthsClamped('2024-02-29', 48)).toBe('2028-02-29');
    });
    it('lands in the right month, never past its end', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 30_000 }),
          fc.integer({ min: -60, max: 60 }),
          fc.integer({ min: 1, max: 31 }),
          (offset, n, anchor) => {
            const date = addDays('2000-01-01', offset);
            const result = addMonthsClamped(date, n, anchor);
            const [y, m] = date.split('-').map(Number) as [number, number];
            const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
            expect(ry * 12 + rm - (y * 12 + m)).toBe(n);
            expect(rd).toBe(Math.min(anchor, daysInMonth(ry, rm)));
          },
        ),
      );
    });
  });

  describe('parsing', () => {
    it('accepts real dates and refuses impossible or malformed ones', () => {
      expect(isLocalDate('2024-02-29')).toBe(true);
      expect(isLocalDate('2023-02-29')).toBe(false);
      expect(isLocalDate('2024-13-01')).toBe(false);
      expect(isLocalDate('2024-1-01')).toBe(false);
      expect(isLocalDate(' 2024-01-01')).toBe(false);
      expect(isLocalDate('2024-01-01 ')).toBe(false);
      expect(isLocalDate(20240101)).toBe(false);
      expect(parseLocalDate('2024-02-29')).toBe('2024-02-29');
      expect(() => parseLocalDate('2023-02-29', 'dueDate')).toThrow(
        failure({ code: 'VALIDATION_FAILED', details: { field: 'dueDate' } }),
      );
      expect(() => parseLocalDate('x')).toThrow(failure({ details: { field: 'date' } }));
    });
    it('accepts instants with an offset and refuses others', () => {
      expect(isInstant('2024-03-01T01:00:00Z')).toBe(true);
      expect(isInstant('2024-03-01T01:00Z')).toBe(true);
      expect(isInstant('2024-03-01T01:00:00.123456Z')).toBe(true);
      expect(isInstant('2024-03-01T01:00:00-03:00')).toBe(true);
      expect(isInstant('2024-03-01T01:00:00')).toBe(false);
      expect(isInstant('2024-03-01')).toBe(false);
      expect(isInstant('x2024-03-01T01:00:00Z')).toBe(false);
      expect(isInstant('2024-03-01T01:00:00Zx')).toBe(false);
      expect(isInstant('2024-13-01T01:00:00Z')).toBe(false);
      expect(isInstant(1)).toBe(false);
      expect(parseInstant('2024-03-01T01:00:00Z')).toBe('2024-03-01T01:00:00Z');
      expect(() => parseInstant('2024-03-01', 'paidAt')).toThrow(
        failure({ code: 'VALIDATION_FAILED', details: { field: 'paidAt' } }),
      );
      expect(() => parseInstant('x')).toThrow(failure({ details: { field: 'at' } }));
    });
  });

  it('explains each refusal in words', () => {
    expect(() => addDays('31/01/2024', 1)).toThrow('"31/01/2024" is not a YYYY-MM-DD date');
    expect(() => parseLocalDate('x', 'dueDate')).toThrow('dueDate must be a YYYY-MM-DD calendar date');
    expect(() => parseInstant('x', 'paidAt')).toThrow('paidAt must be an ISO-8601 instant with an offset');
    expect(() => localDate('soon')).toThrow('"soon" is not an ISO-8601 instant');
  });
});
