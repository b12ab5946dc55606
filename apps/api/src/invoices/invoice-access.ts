import { DomainError, invoiceDecider, invoiceStream, type InvoiceState } from '@app/domain';
import type { Caller } from '@app/platform';
import type { ContractCommandName } from '../commands/command-access';
import type { CommandSender } from '../commands/command-sender';

/** What a missing invoice, and an invoice of a contract the caller is a stranger to, are both answered. */
export const NO_SUCH_INVOICE = 'No such invoice.';

/** An invoice that was issued, in any status. */
export type IssuedInvoice = Exclude<InvoiceState, { status: 'none' }>;

/**
 * The invoice, once the caller may send `command` to it: an invoice belongs to a contract, so the rule is decided
 * on that contract's own state, found from the invoice's stream. A stranger gets the same 404 as for an invoice
 * that does not exist.
 */
export const authorizeOnInvoice = async (
  sender: CommandSender,
  caller: Caller,
  invoiceId: string,
  command: ContractCommandName,
): Promise<IssuedInvoice> => {
  const invoice = await sender.stateOf(invoiceDecider, invoiceStream(invoiceId));
  if (invoice.status === 'none') throw new DomainError('NOT_FOUND', NO_SUCH_INVOICE);
  await sender.authorizeOnContract(caller, invoice.contractId, command, NO_SUCH_INVOICE);
  return invoice;
};
