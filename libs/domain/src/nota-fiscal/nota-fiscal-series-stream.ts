/** The single stream that hands out nota fiscal numbers, so two numbers can never be allocated concurrently. */
export const NOTA_FISCAL_SERIES_STREAM = 'nota-fiscal-series';

/** The stream of the nota fiscal series (one for the whole provider). */
export const notaFiscalSeriesStream = (): string => NOTA_FISCAL_SERIES_STREAM;
