import type { Command } from '../shared/decider';

/** Give an invoice the next nota fiscal number (sent as `notaFiscalAllocation` says, so once per invoice). */
export type AllocateNotaFiscalNumber = Command<'AllocateNotaFiscalNumber', { invoiceId: string }>;

/** Every command the nota fiscal series accepts. */
export type NotaFiscalSeriesCommand = AllocateNotaFiscalNumber;
