import fc from 'fast-check';
import { InvalidValueError } from '../shared/domain-error';
import { emailDomain, parseEmail } from './email';

const longAddress = (length: number): string =>
  `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(length - 197)}.io`;

describe('parseEmail', () => {
  it.each([
    ['  Maria.Silva@Exemplo.COM.br ', 'maria.silva@exemplo.com.br'],
    ['a+tag@sub-domain.example.com', 'a+tag@sub-domain.example.com'],
    ["o'brien@x.io", "o'brien@x.io"],
    [`${'a'.repeat(64)}@x.io`, `${'a'.repeat(64)}@x.io`],
    [`a@${'b'.repeat(63)}.io`, `a@${'b'.repeat(63)}.io`],
  ])('accepts %s as %s', (input, expected) => {
    expect(parseEmail(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['no @', 'maria.exemplo.com'],
    ['two @', 'maria@silva@exemplo.com'],
    ['an @ after a valid address', 'maria@exemplo.com@outro.com'],
    ['no local part', '@exemplo.com'],
    ['no domain', 'maria@'],
    ['a domain without a dot', 'maria@localhost'],
    ['a space inside', 'maria silva@exemplo.com'],
    ['a leading dot', '.maria@exemplo.com'],
    ['two dots in a row', 'maria..silva@exemplo.com'],
    ['a trailing dot in the local part', 'maria.@exemplo.com'],
    ['a label starting with a hyphen', 'maria@-exemplo.com'],
    ['a label ending with a hyphen', 'maria@exemplo-.com'],
    ['a numeric top-level domain', 'maria@exemplo.123'],
    ['a one-letter top-level domain', 'maria@exemplo.c'],
    ['a local part of 65 characters', `${'a'.repeat(65)}@x.io`],
    ['a label of 64 characters', `a@${'b'.repeat(64)}.io`],
    ['more than 254 characters', longAddress(255)],
    ['junk before', 'x <maria@exemplo.com>'],
    ['junk after', 'maria@exemplo.com>'],
  ])('refuses %s', (_case, input) => {
    expect(() => parseEmail(input)).toThrow(
      new InvalidValueError('email', 'email must be a valid e-mail address'),
    );
    expect(() => parseEmail(input)).toThrow(expect.objectContaining({ field: 'email' }) as Error);
  });

  it.each([42, null, ['maria@exemplo.com']])('refuses %p, which is not text', (input) => {
    expect(() => parseEmail(input)).toThrow(
      new InvalidValueError('email', 'email must be a valid e-mail address'),
    );
  });

  it('accepts exactly 254 characters', () => {
    const address = longAddress(254);
    expect(address).toHaveLength(254);
    expect(parseEmail(address)).toBe(address);
  });

  it('is idempotent and case-insensitive', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        fc.pre(address.length <= 254);
        const email = parseEmail(address);
        expect(parseEmail(email)).toBe(email);
        expect(parseEmail(address.toUpperCase())).toBe(email);
      }),
    );
  });

  it('gives the domain of an address', () => {
    expect(emailDomain(parseEmail('maria@exemplo.com.br'))).toBe('exemplo.com.br');
  });
});
