import { ALL_EVENT_TYPES, isInstant } from '@app/domain';
import type { AuditEventFilter } from '@app/projections';
import { RequestValidationError } from '../http';

type FieldProblem = { field: string; message: string };

const listOf = (value: unknown): string[] | undefined => {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((each) =>
    typeof each === 'string' ? each.split(',') : [''],
  );
  return parts.map((part) => part.trim());
};

const instantOf = (value: unknown, field: string, problems: FieldProblem[]): Date | undefined => {
  if (value === undefined) return undefined;
  if (isInstant(value)) return new Date(value);
  problems.push({ field, message: `${field} must be an ISO-8601 instant with an offset` });
  return undefined;
};

/**
 * Reads an audit list's filters: `category` and `type` (comma-separated, or repeated), `actor` (a user id, an
 * e-mail or a system rule), `from` (inclusive) and `to` (exclusive) instants. An unknown category or event type,
 * an instant without an offset or a `from` not before `to` is a 400 naming the parameter (an unknown parameter
 * is refused before, by the DeclaredQueryGuard, from the list's `@ApiQuery` declarations).
 */
export const auditFilterOf = (
  query: Readonly<Record<string, unknown>>,
  categories: readonly string[],
): AuditEventFilter => {
  const problems: FieldProblem[] = [];
  const wanted = listOf(query.category);
  if (wanted?.some((category) => !categories.includes(category)))
    problems.push({ field: 'category', message: `category must be among ${categories.join(', ')}` });
  const types = listOf(query.type);
  if (types?.some((type) => !ALL_EVENT_TYPES.includes(type)))
    problems.push({ field: 'type', message: 'type must name event types of the domain' });
  const { actor } = query;
  if (actor !== undefined && (typeof actor !== 'string' || actor.length === 0 || actor.length > 320))
    problems.push({ field: 'actor', message: 'actor must be one user id, e-mail or system rule' });
  const from = instantOf(query.from, 'from', problems);
  const to = instantOf(query.to, 'to', problems);
  if (from && to && from >= to) problems.push({ field: 'from', message: 'from must be before to' });
  if (problems.length > 0) throw new RequestValidationError(problems);
  return {
    ...(wanted ? { categories: wanted } : {}),
    ...(types ? { types } : {}),
    ...(typeof actor === 'string' ? { actor } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
};

/** The query string without the filters: what `pageRequestOf` reads. */
export const pagingOf = (query: Readonly<Record<string, unknown>>) => ({
  limit: query.limit,
  cursor: query.cursor,
});
