import type { Transaction } from 'kysely';
import type { CheckpointDatabase, Projection } from '@app/projection-runner';
import { alertsProjection, type AlertsDatabase } from './alerts';
import { auditLogProjection, type AuditLogDatabase } from './audit-log';
import { BILLING_AGENDA_TABLES, billingAgendaProjection, type BillingAgendaDatabase } from './billing-agenda';
import { callbacksProjection, type CallbacksDatabase } from './callbacks';
import { contractSummaryProjection, type ContractSummaryDatabase } from './contract-summary';
import { contractUsersProjection, type ContractUsersDatabase } from './contract-users';
import { instanceStatusProjection, type InstanceStatusDatabase } from './instance-status';
import { invoicesProjection, type InvoicesDatabase } from './invoices';
import { NOTIFICATION_TABLES, notificationsProjection, type NotificationsDatabase } from './notifications';
import { servicesProjection, type ServicesDatabase } from './services';
import {
  serviceStatusTimelineProjection,
  type ServiceStatusTimelineDatabase,
} from './service-status-timeline';
import { ticketsProjection, type TicketsDatabase } from './tickets';

export * from './alerts';
export * from './audit-log';
export * from './billing-agenda';
export * from './callbacks';
export * from './contract-summary';
export * from './contract-users';
export * from './instance-status';
export * from './invoices';
export * from './notifications';
export * from './services';
export * from './service-status-timeline';
export * from './shared';
export * from './tickets';

/** Every read-model table, for kysely: one interface, so no call site needs `Kysely<any>`. */
export interface ReadModelDatabase
  extends
    ContractUsersDatabase,
    InvoicesDatabase,
    ServicesDatabase,
    TicketsDatabase,
    CallbacksDatabase,
    InstanceStatusDatabase,
    AlertsDatabase,
    ContractSummaryDatabase,
    NotificationsDatabase,
    AuditLogDatabase,
    ServiceStatusTimelineDatabase,
    BillingAgendaDatabase,
    CheckpointDatabase {}

/**
 * A read model's projection run on the whole schema. Kysely's Transaction is invariant in its database type, so
 * a transaction over every table does not type as one over a few of them, though it serves them.
 */
const onReadModel = <DB extends Partial<ReadModelDatabase>>(
  projection: Projection<DB>,
): Projection<ReadModelDatabase> => ({
  ...projection,
  // Each key of DB is one of ReadModelDatabase's: DB is a part of it.
  tables: projection.tables as readonly (keyof ReadModelDatabase)[] | undefined,
  apply: (events, trx) => projection.apply(events, trx as unknown as Transaction<DB>),
});

/** Every read model's projection, for the worker's runner: each follows the log and rebuilds on its own. */
export const READ_MODEL_PROJECTIONS: readonly Projection<ReadModelDatabase>[] = [
  onReadModel(servicesProjection),
  onReadModel(contractUsersProjection),
  onReadModel(invoicesProjection),
  onReadModel(ticketsProjection),
  onReadModel(callbacksProjection),
  onReadModel(instanceStatusProjection),
  onReadModel(alertsProjection),
  onReadModel(contractSummaryProjection),
  onReadModel(notificationsProjection),
  onReadModel(auditLogProjection),
  onReadModel(serviceStatusTimelineProjection),
  onReadModel(billingAgendaProjection),
];

/**
 * The read models whose new version is built in place, in the tables the served one uses, rather than beside it
 * (see the architecture's "Versioned rebuilds"): every other one names its tables in `tables`.
 */
export const BUILT_IN_PLACE: Readonly<Record<string, Readonly<{ tables: readonly string[]; why: string }>>> =
  {
    notifications: {
      tables: NOTIFICATION_TABLES,
      why:
        'the outbox carries the delivery state of every message, which the log cannot give back; a replay adds ' +
        'nothing to it, its ids being derived from the cause event and the address',
    },
    'billing-agenda': {
      tables: BILLING_AGENDA_TABLES,
      why:
        'the billing clock of every worker and API process reads it on its own connection, not through the query ' +
        'catalog; a change of its shape empties it in a migration, and the clock waits until it has caught up',
    },
  };
