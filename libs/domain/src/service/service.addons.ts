import type { Actor } from '../shared/actor';
import type { Instant } from '../value-objects/calendar';
import type { ServiceCommand } from './service.commands';
import type { ServiceEvent } from './service.events';
import type { LiveService, ServiceState } from './service.state';
import { isLive } from './service.state';

/** Who sends the commands by which add-ons follow their parent: the system, under this rule. */
export const ADDONS_FOLLOW_PARENT: Actor = { kind: 'system', rule: 'addons-follow-parent' };

/** A command for one add-on's stream. */
export type AddonCommand = Readonly<{ serviceId: string; command: ServiceCommand }>;

/**
 * The commands a parent service's event implies for its add-ons, which follow their parent: a suspended parent
 * suspends its active add-ons (`parent_suspended`), a reactivated one reactivates the add-ons it had suspended,
 * a cancelled or terminated one takes its live add-ons with it. `addons` are the current states of the add-ons
 * (others are ignored); add-ons already in the target status get no command, so a reactor can replay safely.
 * Each command is sent by {@link ADDONS_FOLLOW_PARENT} at the time of the parent's event.
 */
export const commandsForAddonsOnParentEvent = (
  parentEvent: ServiceEvent,
  addons: readonly ServiceState[],
): readonly AddonCommand[] => {
  const parentId = parentEvent.data.serviceId;
  const children = addons
    .filter(isLive)
    .filter((addon) => addon.kind === 'addon' && addon.parentServiceId === parentId);
  const each = (applies: (addon: LiveService) => boolean, command: ServiceCommand): readonly AddonCommand[] =>
    children.filter(applies).map((addon) => ({ serviceId: addon.serviceId, command }));
  const metadata = (now: Instant) => ({ now, actor: ADDONS_FOLLOW_PARENT });

  switch (parentEvent.type) {
    case 'ServiceSuspended':
      return each((addon) => addon.status === 'active', {
        type: 'SuspendService',
        data: {
          reason: 'parent_suspended',
          note: `parent ${parentId} suspended: ${parentEvent.data.reason}`,
        },
        metadata: metadata(parentEvent.data.suspendedAt),
      });
    case 'ServiceReactivated':
      return each((addon) => addon.status === 'suspended' && addon.suspension.reason === 'parent_suspended', {
        type: 'ReactivateService',
        data: { by: 'parent' },
        metadata: metadata(parentEvent.data.reactivatedAt),
      });
    case 'ServiceCancelled':
      return each(() => true, {
        type: 'CancelService',
        data: {
          when: 'immediate',
          reason: `parent ${parentId} cancelled`,
          protocolNumber: parentEvent.data.protocolNumber,
        },
        metadata: metadata(parentEvent.data.cancelledAt),
      });
    case 'ServiceTerminated':
      return each(() => true, {
        type: 'TerminateService',
        data: { cause: 'parent_terminated' },
        metadata: metadata(parentEvent.data.terminatedAt),
      });
    default:
      return [];
  }
};
