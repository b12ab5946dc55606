import { InvalidValueError } from '../shared/domain-error';

/**
 * The contract holder's Brazilian tax document: a CPF (a person, 11 digits) or a CNPJ (a company, 14 digits),
 * kept as digits only. Both end in two check digits computed modulo 11.
 */
export type TaxDocument = Readonly<{ kind: 'cpf' | 'cnpj'; number: string }>;

const CPF_PATTERN = /^(?:\d{11}|\d{3}\.\d{3}\.\d{3}-\d{2})$/;
const CNPJ_PATTERN = /^(?:\d{14}|\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2})$/;
const CPF_WEIGHTS = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * The modulo-11 check digit of `digits`, weighing them from the end of `weights`
 * (CPF and CNPJ compute both check digits this way, the second one over the first as well).
 */
const checkDigit = (digits: string, weights: readonly number[]): number => {
  const offset = weights.length - digits.length;
  const sum = [...digits].reduce((total, digit, i) => total + Number(digit) * (weights[offset + i] ?? 0), 0);
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
};

/** The two check digits to append to a 9-digit CPF body or a 12-digit CNPJ body (used to build valid documents). */
export const taxDocumentCheckDigits = (body: string): string => {
  const weights = body.length === 9 ? CPF_WEIGHTS : CNPJ_WEIGHTS;
  const first = checkDigit(body, weights);
  return `${first}${checkDigit(body + String(first), weights)}`;
};

/**
 * Parses a CPF (`123.456.789-09` or `12345678909`) or a CNPJ (`12.345.678/0001-95` or `12345678000195`), checking
 * both check digits and refusing numbers made of one repeated digit (`111.111.111-11` passes the check digits but
 * is not issued). Throws {@link InvalidValueError} on field `document` otherwise.
 */
export const parseTaxDocument = (input: unknown): TaxDocument => {
  const text = typeof input === 'string' ? input.trim() : '';
  const kind = CPF_PATTERN.test(text) ? 'cpf' : CNPJ_PATTERN.test(text) ? 'cnpj' : undefined;
  if (kind === undefined) {
    throw new InvalidValueError('document', 'document must be a CPF (11 digits) or a CNPJ (14 digits)');
  }
  const number = text.replace(/\D/g, '');
  if (/^(\d)\1+$/.test(number) || !number.endsWith(taxDocumentCheckDigits(number.slice(0, -2)))) {
    throw new InvalidValueError(
      'document',
      `document is not a valid ${kind.toUpperCase()}: wrong check digits`,
    );
  }
  return { kind, number };
};
