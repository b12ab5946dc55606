import { InvalidValueError } from '../shared/domain-error';

/** A UTC instant written as ISO-8601 (`2024-03-01T01:00:00.000Z`). */
export type Instant = string;

/**
 * A calendar date (`YYYY-MM-DD`) in America/Sao_Paulo, with no time of day. Day-based rules (grace, retention,
 * due dates) count these, so an instant at 01:00 UTC still belongs to the previous local day.
 */
export type LocalDate = string;

/** The time zone every day-based business rule is counted in. */
export const BUSINESS_TIME_ZONE = 'America/Sao_Paulo';

const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const saoPauloDate = new Intl.DateTimeFormat('en-US', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const utcDate = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const format = (formatter: Intl.DateTimeFormat, epochMs: number): LocalDate => {
  const parts = Object.fromEntries(formatter.formatToParts(epochMs).map((p) => [p.type, p.value]));
  const { year, month, day } = parts as Record<'year' | 'month' | 'day', string>;
  return `${year}-${month}-${day}`;
};

type Ymd = { readonly year: number; readonly month: number; readonly day: number };

const split = (date: LocalDate): Ymd => {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new InvalidValueError('date', `"${date}" is not a YYYY-MM-DD date`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
};

const epochDay = (date: LocalDate): number => {
  const { year, month, day } = split(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
};

const fromEpochDay = (days: number): LocalDate => format(utcDate, days * MS_PER_DAY);

/** Whether `value` is a real `YYYY-MM-DD` calendar date (no February 30th). */
export const isLocalDate = (value: unknown): value is LocalDate =>
  typeof value === 'string' && DATE_PATTERN.test(value) && fromEpochDay(epochDay(value)) === value;

/** Parses a `YYYY-MM-DD` calendar date or throws {@link InvalidValueError} naming `field`. */
export const parseLocalDate = (value: unknown, field = 'date'): LocalDate => {
  if (!isLocalDate(value)) throw new InvalidValueError(field, `${field} must be a YYYY-MM-DD calendar date`);
  return value;
};

/** Whether `value` is an ISO-8601 instant with an explicit offset (`Z` or `±hh:mm`). */
export const isInstant = (value: unknown): value is Instant =>
  typeof value === 'string' && INSTANT_PATTERN.test(value) && !Number.isNaN(Date.parse(value));

/** Parses an ISO-8601 instant or throws {@link InvalidValueError} naming `field`. */
export const parseInstant = (value: unknown, field = 'at'): Instant => {
  if (!isInstant(value))
    throw new InvalidValueError(field, `${field} must be an ISO-8601 instant with an offset`);
  return value;
};

/** The calendar date in America/Sao_Paulo on which `instant` falls. */
export const localDate = (instant: Instant): LocalDate => {
  const epochMs = Date.parse(instant);
  if (Number.isNaN(epochMs)) throw new InvalidValueError('at', `"${instant}" is not an ISO-8601 instant`);
  return format(saoPauloDate, epochMs);
};

/** `date` moved by `n` calendar days (negative `n` goes back). */
export const addDays = (date: LocalDate, n: number): LocalDate => fromEpochDay(epochDay(date) + n);

/** Calendar days from `a` to `b`: positive when `b` is later, 0 on the same day. */
export const daysBetween = (a: LocalDate, b: LocalDate): number => epochDay(b) - epochDay(a);

/** Number of days in a month (`month` 1–12), leap years included. */
export const daysInMonth = (year: number, month: number): number =>
  (Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / MS_PER_DAY;

/**
 * `date` moved by `n` months, landing on `anchorDay` (default: the day of `date`) or on the month's last day when
 * the month is shorter. Jan 31 + 1 month is Feb 28 (29 in a leap year); with anchor day 31, Feb 28 + 1 month is
 * back on Mar 31 — which is why a service keeps its anchor day instead of chaining clamped dates.
 */
export const addMonthsClamped = (date: LocalDate, n: number, anchorDay?: number): LocalDate => {
  const { year, month, day } = split(date);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(anchorDay ?? day, daysInMonth(targetYear, targetMonth));
  return fromEpochDay(Date.UTC(targetYear, targetMonth - 1, targetDay) / MS_PER_DAY);
};

/** Whether `date` is the same day as `reference` or later. */
export const isOnOrAfter = (date: LocalDate, reference: LocalDate): boolean =>
  daysBetween(reference, date) >= 0;
