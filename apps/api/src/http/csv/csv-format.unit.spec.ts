import { csvField, csvRecord } from './csv-format';

describe('CSV fields and records (RFC 4180)', () => {
  it('leaves plain text as it is', () => {
    expect(csvField('InvoicePaid')).toBe('InvoicePaid');
    expect(csvField(2990)).toBe('2990');
    expect(csvField(true)).toBe('true');
  });

  it('quotes a comma, a double quote (doubled) and a line break, as in a ticket subject', () => {
    expect(csvField('Cobrança, de novo')).toBe('"Cobrança, de novo"');
    expect(csvField('Fatura "dupla"')).toBe('"Fatura ""dupla"""');
    expect(csvField('linha 1\nlinha 2')).toBe('"linha 1\nlinha 2"');
    expect(csvField('linha 1\r\nlinha 2')).toBe('"linha 1\r\nlinha 2"');
  });

  it('quotes leading and trailing spaces so that no reader trims them', () => {
    expect(csvField(' Maria ')).toBe('" Maria "');
  });

  it('writes nothing for null and undefined, ISO-8601 for dates, JSON for objects', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(new Date('2026-02-01T03:00:00.000Z'))).toBe('2026-02-01T03:00:00.000Z');
    expect(csvField({ subject: 'a, "b"' })).toBe('"{""subject"":""a, \\""b\\""""}"');
  });

  it('ends each record with CRLF', () => {
    expect(csvRecord(['a', 'b,c', null, 1])).toBe('a,"b,c",,1\r\n');
  });
});
