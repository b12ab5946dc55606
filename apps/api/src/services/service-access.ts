import {
  DomainError,
  serviceDecider,
  serviceStream,
  type OrderedServiceState,
  type ServiceState,
} from '@app/domain';
import type { Caller } from '@app/platform';
import type { ContractCommandName } from '../commands/command-access';
import type { CommandSender } from '../commands/command-sender';

/** What a missing service, and a service of a contract the caller is a stranger to, are both answered. */
export const NO_SUCH_SERVICE = 'No such service.';

/** The service as ordered, or a 404 when the stream holds no order. */
export const orderedService = async (
  sender: CommandSender,
  serviceId: string,
): Promise<OrderedServiceState> => {
  const state: ServiceState = await sender.stateOf(serviceDecider, serviceStream(serviceId));
  if (state.status === 'none') throw new DomainError('NOT_FOUND', NO_SUCH_SERVICE);
  return state;
};

/**
 * The service, once the caller may send `command` to it: a service belongs to a contract, so the rule is decided
 * on that contract's own state, found from the service's stream. A stranger gets the same 404 as for a service
 * that does not exist.
 */
export const authorizeOnService = async (
  sender: CommandSender,
  caller: Caller,
  serviceId: string,
  command: ContractCommandName,
): Promise<OrderedServiceState> => {
  const service = await orderedService(sender, serviceId);
  await sender.authorizeOnContract(caller, service.contractId, command, NO_SUCH_SERVICE);
  return service;
};
