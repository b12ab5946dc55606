import fc from 'fast-check';
import { InvalidValueError } from '../shared/domain-error';
import { parseTaxDocument, taxDocumentCheckDigits } from './tax-document';

const digits = (length: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^\\d{${length}}$`));
const notRepeated = (number: string): boolean => !/^(\d)\1+$/.test(number);
const validCpf = digits(9)
  .map((body) => body + taxDocumentCheckDigits(body))
  .filter(notRepeated);
const validCnpj = digits(12)
  .map((body) => body + taxDocumentCheckDigits(body))
  .filter(notRepeated);
const punctuateCpf = (n: string): string =>
  `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6, 9)}-${n.slice(9)}`;
const punctuateCnpj = (n: string): string =>
  `${n.slice(0, 2)}.${n.slice(2, 5)}.${n.slice(5, 8)}/${n.slice(8, 12)}-${n.slice(12)}`;
const changeDigit = (number: string, index: number, delta: number): string =>
  number.slice(0, index) + String((Number(number[index]) + delta) % 10) + number.slice(index + 1);

const refused = (input: string, message: string): void => {
  expect(() => parseTaxDocument(input)).toThrow(new InvalidValueError('document', message));
  expect(() => parseTaxDocument(input)).toThrow(expect.objectContaining({ field: 'document' }) as Error);
};
const SHAPE = 'document must be a CPF (11 digits) or a CNPJ (14 digits)';

describe('parseTaxDocument', () => {
  it.each([52998224725, null, { kind: 'cpf', number: '52998224725' }])(
    'refuses %p, which is not text',
    (input) => {
      expect(() => parseTaxDocument(input)).toThrow(expect.objectContaining({ field: 'document' }) as Error);
    },
  );

  it.each([
    ['123.456.789-09', { kind: 'cpf', number: '12345678909' }],
    ['12345678909', { kind: 'cpf', number: '12345678909' }],
    [' 529.982.247-25 ', { kind: 'cpf', number: '52998224725' }],
    ['12.345.678/0001-95', { kind: 'cnpj', number: '12345678000195' }],
    ['12345678000195', { kind: 'cnpj', number: '12345678000195' }],
    ['11.222.333/0001-81', { kind: 'cnpj', number: '11222333000181' }],
    ['00.000.000/0001-91', { kind: 'cnpj', number: '00000000000191' }],
  ])('parses %s', (input, expected) => {
    expect(parseTaxDocument(input)).toEqual(expected);
  });

  it.each([
    ['a CPF with a wrong first check digit', '123.456.789-19', 'CPF'],
    ['a CPF with a wrong second check digit', '12345678908', 'CPF'],
    ['a CNPJ with a wrong first check digit', '12.345.678/0001-85', 'CNPJ'],
    ['a CNPJ with a wrong second check digit', '12345678000194', 'CNPJ'],
    ['an all-same-digit CPF', '111.111.111-11', 'CPF'],
    ['an all-zero CPF', '00000000000', 'CPF'],
    ['an all-same-digit CNPJ', '11111111111111', 'CNPJ'],
  ])('refuses %s', (_case, input, kind) => {
    refused(input, `document is not a valid ${kind}: wrong check digits`);
  });

  it.each([
    ['empty', ''],
    ['10 digits', '1234567890'],
    ['12 digits', '123456789012'],
    ['15 digits', '123456789012345'],
    ['letters', '123.456.789-0X'],
    ['odd punctuation', '123-456-789.09'],
    ['a CNPJ punctuated like a CPF', '123.456.780-00195'],
    ['text around a CPF', 'CPF 123.456.789-09'],
    ['text after a CNPJ', '12.345.678/0001-95 ok'],
  ])('refuses %s as neither CPF nor CNPJ', (_case, input) => refused(input, SHAPE));

  it('computes the check digits of both kinds', () => {
    expect(taxDocumentCheckDigits('123456789')).toBe('09');
    expect(taxDocumentCheckDigits('529982247')).toBe('25');
    expect(taxDocumentCheckDigits('123456780001')).toBe('95');
    expect(taxDocumentCheckDigits('112223330001')).toBe('81');
  });

  it('parses every valid CPF punctuated or not, idempotently', () => {
    fc.assert(
      fc.property(validCpf, (number) => {
        const parsed = parseTaxDocument(punctuateCpf(number));
        expect(parsed).toEqual({ kind: 'cpf', number });
        expect(parseTaxDocument(number)).toEqual(parsed);
        expect(parseTaxDocument(parsed.number)).toEqual(parsed);
      }),
    );
  });

  it('parses every valid CNPJ punctuated or not, idempotently', () => {
    fc.assert(
      fc.property(validCnpj, (number) => {
        const parsed = parseTaxDocument(punctuateCnpj(number));
        expect(parsed).toEqual({ kind: 'cnpj', number });
        expect(parseTaxDocument(number)).toEqual(parsed);
        expect(parseTaxDocument(parsed.number)).toEqual(parsed);
      }),
    );
  });

  it('refuses any valid document with one check digit changed', () => {
    fc.assert(
      fc.property(
        fc.oneof(validCpf, validCnpj),
        fc.constantFrom(1, 2),
        fc.integer({ min: 1, max: 9 }),
        (number, fromEnd, delta) => {
          expect(() => parseTaxDocument(changeDigit(number, number.length - fromEnd, delta))).toThrow(
            InvalidValueError,
          );
        },
      ),
    );
  });
});
