import { csvField, csvRecord as csvLine } from './csv-format';
import { wantsCsv } from './csv-response';

describe('CSV fields', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [' padded', '" padded"'],
    ['', ''],
  ])('writes %j as %j', (value, written) => expect(csvField(value)).toBe(written));

  it('writes null and undefined empty, numbers and instants as they print', () => {
    expect(csvLine([null, undefined, 0, 12.5, -3, new Date('2028-02-29T03:00:00.000Z')])).toBe(
      ',,0,12.5,-3,2028-02-29T03:00:00.000Z\r\n',
    );
  });

  it('answers CSV only to a client that asks for text/csv', () => {
    expect(wantsCsv('text/csv')).toBe(true);
    expect(wantsCsv('application/json, text/csv;q=0.5')).toBe(true);
    expect(wantsCsv('TEXT/CSV; charset=utf-8')).toBe(true);
    expect(wantsCsv(undefined)).toBe(false);
    expect(wantsCsv('application/json')).toBe(false);
    expect(wantsCsv('*/*')).toBe(false);
    expect(wantsCsv('text/csvx')).toBe(false);
  });
});
