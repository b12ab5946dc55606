import { InvalidValueError } from '../shared/domain-error';
import { addDays, addMonthsClamped, type LocalDate } from './calendar';

/** What a service is. An `addon` hangs off a parent service and follows its suspension and cancellation. */
export const SERVICE_KINDS = [
  'shared_hosting',
  'reseller_hosting',
  'cloud_server',
  'dedicated_server',
  'domain',
  'addon',
] as const;

/** The kind of a hosted service. */
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A kind a parent service can have: an add-on of an add-on does not exist. */
export type ParentServiceKind = Exclude<ServiceKind, 'addon'>;

/**
 * Which set of day rules a service follows. `shared` covers shared and reseller hosting, domains and their
 * add-ons; `server` covers cloud and dedicated servers and their add-ons, whose resources are reserved per
 * customer and so are released sooner.
 */
export type GraceClass = 'shared' | 'server';

/** Days after the original due date on which an unpaid service is suspended. */
export const SUSPENSION_GRACE_DAYS: Readonly<Record<GraceClass, number>> = { shared: 10, server: 3 };

/** Whether `value` names a service kind. */
export const isServiceKind = (value: unknown): value is ServiceKind =>
  typeof value === 'string' && (SERVICE_KINDS as readonly string[]).includes(value);

/** Parses a service kind or throws {@link InvalidValueError} naming `field` (default `kind`). */
export const parseServiceKind = (value: unknown, field = 'kind'): ServiceKind => {
  if (!isServiceKind(value))
    throw new InvalidValueError(field, `${field} must be one of ${SERVICE_KINDS.join(', ')}`);
  return value;
};

/** The grace class of a kind; an add-on takes its parent's (`parentKind` is required for add-ons). */
export const graceClassOf = (kind: ServiceKind, parentKind?: ParentServiceKind): GraceClass => {
  if (kind === 'addon') {
    if (parentKind === undefined)
      throw new InvalidValueError('parentKind', 'an add-on needs its parent kind');
    return graceClassOf(parentKind);
  }
  return kind === 'cloud_server' || kind === 'dedicated_server' ? 'server' : 'shared';
};

/**
 * The Sao Paulo date on which an unpaid service is suspended: the 10th day (shared kinds) or the 3rd day (cloud
 * and dedicated) after the **original** due date of the unpaid invoice. It counts from the original date, not
 * from a rescheduled one or from when the invoice was marked overdue, so re-issuing a boleto never extends it.
 */
export const suspensionDate = (
  kind: ServiceKind,
  originalDueDate: LocalDate,
  parentKind?: ParentServiceKind,
): LocalDate => addDays(originalDueDate, SUSPENSION_GRACE_DAYS[graceClassOf(kind, parentKind)]);

/**
 * The Sao Paulo date on which a service suspended for non-payment is terminated (its data removed) once its
 * **retention** has elapsed. Retention is how long such a service stays on the servers, still billed, waiting to
 * be paid: 3 calendar months for shared kinds, 7 days for cloud and dedicated servers, counted from the
 * suspension. An administrative suspension has no retention: it lasts until staff lift it or cancel the service.
 */
export const terminationDate = (
  kind: ServiceKind,
  suspendedOn: LocalDate,
  parentKind?: ParentServiceKind,
): LocalDate =>
  graceClassOf(kind, parentKind) === 'server' ? addDays(suspendedOn, 7) : addMonthsClamped(suspendedOn, 3);
