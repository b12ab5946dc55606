import fc from 'fast-check';
import { localDate } from '@app/domain';
import { RequestValidationError } from '../http';
import {
  agingInstantOf,
  saoPauloStartOfDay,
  statusDurationsParamsOf,
  suspensionsParamsOf,
} from './analytics-params';

describe('analytics parameters', () => {
  it.each([
    ['2028-02-29', '2028-02-29T03:00:00.000Z'],
    ['2028-03-01', '2028-03-01T03:00:00.000Z'],
    ['2026-12-31', '2026-12-31T03:00:00.000Z'],
    // Summer time began at midnight on 2018-11-04: the day started at 01:00, still 03:00 UTC.
    ['2018-11-04', '2018-11-04T03:00:00.000Z'],
    // In summer time (UTC-2) a day started at 02:00 UTC.
    ['2018-12-25', '2018-12-25T02:00:00.000Z'],
  ])('starts the Sao Paulo day %s at %s', (date, instant) => {
    expect(saoPauloStartOfDay(date).toISOString()).toBe(instant);
  });

  it('starts every Sao Paulo day on the first instant whose Sao Paulo date is that day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (day) => {
          const date = day.toISOString().slice(0, 10);
          const start = saoPauloStartOfDay(date);
          expect(localDate(start.toISOString())).toBe(date);
          expect(localDate(new Date(start.getTime() - 1).toISOString())).not.toBe(date);
        },
      ),
    );
  });

  it('reads instants with an offset and Sao Paulo dates alike', () => {
    const params = suspensionsParamsOf({
      from: '2028-03-01T00:00:00-03:00',
      to: '2028-04-01',
      groupBy: 'month',
      kind: 'cloud_server',
    });
    expect(params).toEqual({
      from: new Date('2028-03-01T03:00:00.000Z'),
      to: new Date('2028-04-01T03:00:00.000Z'),
      groupBy: 'month',
      kind: 'cloud_server',
    });
    expect(statusDurationsParamsOf({ from: '2028-03-01', to: '2028-03-02' })).not.toHaveProperty('kind');
    expect(agingInstantOf({}, new Date('2028-01-01T00:00:00Z'))).toEqual(new Date('2028-01-01T00:00:00Z'));
  });

  it('names every bad parameter at once', () => {
    const problems = (query: Record<string, unknown>) => {
      try {
        suspensionsParamsOf(query);
        return [];
      } catch (error) {
        return (error as RequestValidationError).problems.map((problem) => problem.field);
      }
    };
    expect(problems({})).toEqual(['from', 'to']);
    expect(problems({ from: ['2028-01-01'], to: '2028-13-01', groupBy: 'week', kind: 'vps' })).toEqual([
      'from',
      'to',
      'kind',
      'groupBy',
    ]);
    expect(problems({ from: '2028-02-01', to: '2028-02-01' })).toEqual(['to']);
    expect(() => agingInstantOf({ at: '2027-02-29' }, new Date())).toThrow(RequestValidationError);
  });
});
