import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import type { NotaFiscalSeriesCommand } from './nota-fiscal-series.commands';
import type { NotaFiscalSeriesEvent } from './nota-fiscal-series.events';
import { notaFiscalSeriesDecider } from './nota-fiscal-series.decider';
import { NOTA_FISCAL_SERIES_STREAM, notaFiscalSeriesStream } from './nota-fiscal-series-stream';
import {
  allocatedNotaFiscalNumber,
  nextNotaFiscalNumber,
  notaFiscalAllocation,
  type NotaFiscalSeriesState,
} from './nota-fiscal-series.state';

const given = deciderSpecification(notaFiscalSeriesDecider);
const allocate = (invoiceId: string): NotaFiscalSeriesCommand => ({
  type: 'AllocateNotaFiscalNumber',
  data: { invoiceId },
  metadata: { now: '2024-03-01T12:00:00Z', actor: { kind: 'system', rule: 'issue-notas-fiscais' } },
});
const allocated = (invoiceId: string, number: number): NotaFiscalSeriesEvent => ({
  type: 'NotaFiscalNumberAllocated',
  data: { invoiceId, number },
});
const stateAfter = (events: readonly NotaFiscalSeriesEvent[]): NotaFiscalSeriesState =>
  events.reduce(notaFiscalSeriesDecider.evolve, notaFiscalSeriesDecider.initialState());

// A failing property reports its first counterexample without shrinking, so mutation runs stay fast.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

describe('nota fiscal series', () => {
  it('lives on one stream', () => {
    expect(notaFiscalSeriesStream()).toBe('nota-fiscal-series');
    expect(NOTA_FISCAL_SERIES_STREAM).toBe('nota-fiscal-series');
  });

  it('starts at 1', () => {
    given([])
      .when(allocate('inv-a'))
      .then([allocated('inv-a', 1)]);
    expect(nextNotaFiscalNumber(stateAfter([]))).toBe(1);
  });

  it('gives the next invoice the next number', () => {
    given([allocated('inv-a', 1), allocated('inv-b', 2)])
      .when(allocate('inv-c'))
      .then([allocated('inv-c', 3)]);
  });

  it('keeps only its last number, whatever came before', () => {
    const events = Array.from({ length: 1_000 }, (_, n) => allocated(`inv-${n}`, n + 1));
    expect(stateAfter(events)).toEqual({ status: 'numbering', lastNumber: 1_000 });
  });

  it('sends every allocation for an invoice under one command id and digest, whoever sends it', () => {
    expect(notaFiscalAllocation('inv-a')).toEqual({
      commandId: 'nota-number:inv-a',
      requestDigest: 'nota-number:inv-a',
    });
    expect(notaFiscalAllocation('inv-a')).not.toEqual(notaFiscalAllocation('inv-b'));
  });

  it("reads an invoice's number from its allocation's events", () => {
    const events = [allocated('inv-a', 7)];
    expect(allocatedNotaFiscalNumber(events, 'inv-a')).toBe(7);
    expect(allocatedNotaFiscalNumber(events, 'inv-b')).toBeNull();
    expect(allocatedNotaFiscalNumber([], 'inv-a')).toBeNull();
  });

  it('refuses an empty or blank invoice id', () => {
    given([]).when(allocate('')).thenFails('VALIDATION_FAILED', { field: 'invoiceId' });
    given([]).when(allocate(' ')).thenFails('VALIDATION_FAILED', { field: 'invoiceId' });
  });

  it('ignores unknown events', () => {
    const state = stateAfter([allocated('inv-a', 1)]);
    expect(
      notaFiscalSeriesDecider.evolve(state, { type: 'Other', data: {} } as unknown as NotaFiscalSeriesEvent),
    ).toBe(state);
  });

  it('numbers are strictly increasing, without gaps or reuse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 40 }),
        (requests) => {
          let events: readonly NotaFiscalSeriesEvent[] = [];
          for (const invoiceId of requests) {
            events = [...events, ...notaFiscalSeriesDecider.decide(allocate(invoiceId), stateAfter(events))];
          }
          const numbers = events.map((e) => e.data.number);
          expect(numbers).toEqual(numbers.map((_, i) => i + 1));
          expect(events.map((e) => e.data.invoiceId)).toEqual(requests);
          expect(nextNotaFiscalNumber(stateAfter(events))).toBe(requests.length + 1);
        },
      ),
    );
  });

  it('explains an empty invoice id', () => {
    expect(() => notaFiscalSeriesDecider.decide(allocate(''), stateAfter([]))).toThrow(
      'invoiceId must be 1 to 200 visible characters without spaces',
    );
  });
});
