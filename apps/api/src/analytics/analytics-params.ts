import { isInstant, isLocalDate, localDate, SERVICE_KINDS, type ServiceKind } from '@app/domain';
import { RequestValidationError, type FieldProblem } from '../http';

/**
 * Reading the analytics endpoints' query strings. Every problem is collected and answered at once as a 400
 * VALIDATION_FAILED naming each parameter, so an analyst fixes a URL in one go.
 */

const HOUR_MS = 3_600_000;

/**
 * The instant a Sao Paulo calendar day starts: its first hour whose Sao Paulo date is that day (midnight at
 * UTC-3, 01:00 on the days summer time used to begin, before 2019).
 */
export const saoPauloStartOfDay = (date: string): Date => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, day);
  for (let hours = 0; hours <= 6; hours++) {
    const candidate = new Date(utcMidnight + hours * HOUR_MS);
    if (localDate(candidate.toISOString()) === date) return candidate;
  }
  throw new Error(`no Sao Paulo start of day found for ${date}`);
};

/**
 * An ISO-8601 instant with an offset (`2026-03-01T03:00:00Z`, `2026-03-01T00:00:00-03:00`), or a `YYYY-MM-DD`
 * date, which stands for the start of that Sao Paulo day. Impossible dates (February 30th) are refused.
 */
const instantOf = (value: unknown): Date | undefined => {
  if (isLocalDate(value)) return saoPauloStartOfDay(value);
  if (!isInstant(value) || !isLocalDate(value.slice(0, 10))) return undefined;
  return new Date(value);
};

class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new RequestValidationError(this.list);
  }
}

const INSTANT_MESSAGE = 'must be an ISO-8601 instant with an offset, or a YYYY-MM-DD Sao Paulo date';

/** A window `[from, to)`: both required, `from` before `to`. */
export type AnalyticsWindow = Readonly<{ from: Date; to: Date }>;

const readWindow = (query: Readonly<Record<string, unknown>>, problems: Problems): AnalyticsWindow => {
  const from = instantOf(query.from);
  const to = instantOf(query.to);
  if (from === undefined) problems.add('from', `from ${INSTANT_MESSAGE}`);
  if (to === undefined) problems.add('to', `to ${INSTANT_MESSAGE}`);
  if (from !== undefined && to !== undefined && from >= to) problems.add('to', 'to must be after from');
  return { from: from ?? new Date(0), to: to ?? new Date(0) };
};

const readKind = (query: Readonly<Record<string, unknown>>, problems: Problems): ServiceKind | undefined => {
  if (query.kind === undefined) return undefined;
  if (typeof query.kind === 'string' && (SERVICE_KINDS as readonly string[]).includes(query.kind)) {
    return query.kind as ServiceKind;
  }
  problems.add('kind', `kind must be one of ${SERVICE_KINDS.join(', ')}`);
  return undefined;
};

/** `from`, `to` and an optional `kind`, for the status durations. */
export const statusDurationsParamsOf = (
  query: Readonly<Record<string, unknown>>,
): AnalyticsWindow & Readonly<{ kind?: ServiceKind }> => {
  const problems = new Problems();
  const window = readWindow(query, problems);
  const kind = readKind(query, problems);
  problems.throwIfAny();
  return { ...window, ...(kind === undefined ? {} : { kind }) };
};

export type SuspensionsParams = AnalyticsWindow & Readonly<{ groupBy: 'day' | 'month'; kind?: ServiceKind }>;

/** `from`, `to`, `groupBy` (`day` or `month`, default `day`) and an optional `kind`, for the suspensions. */
export const suspensionsParamsOf = (query: Readonly<Record<string, unknown>>): SuspensionsParams => {
  const problems = new Problems();
  const window = readWindow(query, problems);
  const kind = readKind(query, problems);
  const groupBy = query.groupBy ?? 'day';
  if (groupBy !== 'day' && groupBy !== 'month') problems.add('groupBy', 'groupBy must be day or month');
  problems.throwIfAny();
  return { ...window, groupBy: groupBy as 'day' | 'month', ...(kind === undefined ? {} : { kind }) };
};

/** The optional `at` of the invoice aging; `now` when absent. */
export const agingInstantOf = (query: Readonly<Record<string, unknown>>, now: Date): Date => {
  if (query.at === undefined) return now;
  const at = instantOf(query.at);
  if (at === undefined) throw new RequestValidationError([{ field: 'at', message: `at ${INSTANT_MESSAGE}` }]);
  return at;
};
