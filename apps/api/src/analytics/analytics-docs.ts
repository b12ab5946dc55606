import type { ApiQueryOptions } from '@nestjs/swagger';
import { SERVICE_KINDS } from '@app/domain';

const INSTANT =
  'An ISO-8601 instant with an offset, or a YYYY-MM-DD date for the start of that day in Sao Paulo.';

/** How the analytics endpoints document their window and filters. */
export const WINDOW_QUERY = {
  from: { name: 'from', required: true, description: `Start of the window (included). ${INSTANT}` },
  to: { name: 'to', required: true, description: `End of the window (excluded). ${INSTANT}` },
  kind: {
    name: 'kind',
    required: false,
    enum: [...SERVICE_KINDS],
    description: 'Only services of this kind.',
  },
  groupBy: {
    name: 'groupBy',
    required: false,
    enum: ['day', 'month'],
    description: 'Sao Paulo calendar days or months (default day).',
  },
  at: { name: 'at', required: false, description: `As of this instant (default now). ${INSTANT}` },
} as const satisfies Record<string, ApiQueryOptions>;
