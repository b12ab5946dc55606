import type { ApiHeaderOptions, ApiQueryOptions } from '@nestjs/swagger';

/** How every query documents its read-your-writes header. */
export const MIN_POSITION_HEADER: ApiHeaderOptions = {
  name: 'X-Min-Position',
  required: false,
  description:
    'A position a command answered: the query waits (up to 5 s) until its read model has reached it, else 503 ' +
    'STALE_READ_MODEL.',
};

export const PAGE_QUERY = {
  limit: { name: 'limit', required: false, description: 'Items per page, 1 to 500 (default 50).' },
  cursor: { name: 'cursor', required: false, description: 'The nextCursor of the previous page.' },
} as const satisfies Record<string, ApiQueryOptions>;
