import type { Message } from '../shared/decider';

/** The next number of the series was given to an invoice's nota fiscal; it is never given out again. */
export type NotaFiscalNumberAllocated = Message<
  'NotaFiscalNumberAllocated',
  { invoiceId: string; number: number }
>;

/** Every event of the nota fiscal series. */
export type NotaFiscalSeriesEvent = NotaFiscalNumberAllocated;
