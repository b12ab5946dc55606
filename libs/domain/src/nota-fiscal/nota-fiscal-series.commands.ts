import type { Command } from '../shared/decider';

/** Give an invoice the next nota fiscal number (or find the one it already has). */
export type AllocateNotaFiscalNumber = Command<'AllocateNotaFiscalNumber', { invoiceId: string }>;

/** Every command the nota fiscal series accepts. */
export type NotaFiscalSeriesCommand = AllocateNotaFiscalNumber;
