import { auditLogProjection } from '@app/projections';

/** The read model the audit lists and the stream index come from, for X-Min-Position. */
export const AUDIT_LOG = auditLogProjection.name;
