import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiQuery, type ApiQueryOptions } from '@nestjs/swagger';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../queries/query-docs';

/** How the audit lists document their filters. */
export const AUDIT_FILTER_QUERY = {
  category: {
    name: 'category',
    required: false,
    description: 'Stream categories, comma-separated: contract, service, invoice, ticket, callback.',
  },
  type: {
    name: 'type',
    required: false,
    description: 'Event types, comma-separated (`UserPermissionsChanged`).',
  },
  actor: { name: 'actor', required: false, description: "The acting user's id or e-mail, or a system rule." },
  from: { name: 'from', required: false, description: 'Events that occurred at or after this instant.' },
  to: { name: 'to', required: false, description: 'Events that occurred before this instant.' },
} as const satisfies Record<string, ApiQueryOptions>;

export const AUDIT_LIST_DESCRIPTION =
  '{ items: [{ position, stream, category, revision, eventId, type, data, metadata: { actor, occurredAt, ' +
  'correlationId, causationId, command, commandId }, changes: [{ path, before, after }] }], nextCursor }; ' +
  'with `Accept: text/csv`, every matching event as CSV (no paging), streamed.';

/** What every audit list documents beside its summary: X-Min-Position, paging, the filters, JSON or CSV. */
export const AuditListDocs = () =>
  applyDecorators(
    ApiHeader(MIN_POSITION_HEADER),
    ApiQuery(PAGE_QUERY.limit),
    ApiQuery(PAGE_QUERY.cursor),
    ...Object.values(AUDIT_FILTER_QUERY).map((filter) => ApiQuery(filter)),
    ApiProduces('application/json', 'text/csv'),
    ApiOkResponse({ description: AUDIT_LIST_DESCRIPTION }),
  );
