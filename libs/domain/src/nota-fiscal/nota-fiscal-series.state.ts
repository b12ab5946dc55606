import type { NotaFiscalSeriesEvent } from './nota-fiscal-series.events';

/**
 * The nota fiscal series: numbers are sequential from 1 and never reused, even when a nota is later cancelled by
 * a refund. `empty` before the first allocation. It holds only its last number, so a load costs the same at the
 * millionth nota as at the first; that an invoice is given one number once is the allocation's command id's
 * work ({@link notaFiscalAllocation}).
 */
export type NotaFiscalSeriesState =
  Readonly<{ status: 'empty' }> | Readonly<{ status: 'numbering'; lastNumber: number }>;

/** The state of the series before any number was allocated. */
export const initialNotaFiscalSeriesState = (): NotaFiscalSeriesState => ({ status: 'empty' });

/** Folds one allocation into the series; unknown events change nothing. */
export const evolveNotaFiscalSeries = (
  state: NotaFiscalSeriesState,
  event: NotaFiscalSeriesEvent,
): NotaFiscalSeriesState => {
  switch (event.type) {
    case 'NotaFiscalNumberAllocated':
      return { status: 'numbering', lastNumber: event.data.number };
    default: {
      // Unknown at compile time is a bug; unknown at run time is a newer event this version ignores.
      const _unhandled: never = event.type;
      return state;
    }
  }
};

/** The number the next allocation will get. */
export const nextNotaFiscalNumber = (state: NotaFiscalSeriesState): number =>
  state.status === 'numbering' ? state.lastNumber + 1 : 1;

/**
 * How every allocation for one invoice is sent, whoever sends it (the billing clock, billing staff early): under
 * one command id and a request digest of the invoice alone. The write path answers a repeat of it — a retry, the
 * other sender, a run after a crash between allocating and issuing — with the events of the first, so an invoice
 * gets one number and no number is spent twice, without the series remembering every invoice.
 */
export const notaFiscalAllocation = (
  invoiceId: string,
): Readonly<{ commandId: string; requestDigest: string }> => ({
  commandId: `nota-number:${invoiceId}`,
  requestDigest: `nota-number:${invoiceId}`,
});

/** The number an allocation's events (first or repeated) gave `invoiceId`, or `null`. */
export const allocatedNotaFiscalNumber = (
  events: readonly NotaFiscalSeriesEvent[],
  invoiceId: string,
): number | null =>
  events.find((event) => event.type === 'NotaFiscalNumberAllocated' && event.data.invoiceId === invoiceId)
    ?.data.number ?? null;
