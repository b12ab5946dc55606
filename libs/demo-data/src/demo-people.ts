import type { SeededRandom } from './seeded-random';

/** Names, documents and phones for demo contracts: plausible Brazilian data, valid check digits, never real. */

const FIRST_NAMES = [
  'Ana',
  'Bruno',
  'Carla',
  'Diego',
  'Eduarda',
  'Felipe',
  'Gabriela',
  'Henrique',
  'Isabela',
  'João',
  'Larissa',
  'Marcos',
  'Natália',
  'Otávio',
  'Paula',
  'Rafael',
  'Sofia',
  'Thiago',
  'Vitória',
  'Wagner',
] as const;
const LAST_NAMES = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Lima',
  'Pereira',
  'Ferreira',
  'Costa',
  'Rodrigues',
  'Almeida',
  'Nascimento',
  'Carvalho',
  'Gomes',
  'Ribeiro',
  'Martins',
] as const;
const COMPANY_WORDS = [
  'Padaria',
  'Clínica',
  'Studio',
  'Loja',
  'Agência',
  'Escritório',
  'Oficina',
  'Pet Shop',
  'Academia',
  'Café',
] as const;
const AREA_CODES = ['11', '21', '31', '41', '48', '51', '61', '71', '81', '85'] as const;

export type DemoPerson = Readonly<{ name: string; email: string }>;

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

export const demoPerson = (random: SeededRandom, domain: string, index: number): DemoPerson => {
  const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  return { name, email: `${slug(name)}${index}@${domain}` };
};

/** A company or a person holding a contract, and the e-mail domain its people use. */
export const demoHolder = (
  random: SeededRandom,
  index: number,
): Readonly<{ holderName: string; domain: string; company: boolean }> => {
  const company = random.chance(0.55);
  const last = random.pick(LAST_NAMES);
  const holderName = company
    ? `${random.pick(COMPANY_WORDS)} ${last} Ltda`
    : `${random.pick(FIRST_NAMES)} ${last}`;
  return { holderName, domain: `${slug(holderName).replace(/\./g, '')}${index}.com.br`, company };
};

const checkDigit = (digits: readonly number[], weights: readonly number[]): number => {
  const sum = digits.reduce((total, digit, i) => total + digit * weights[i]!, 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
};

/** A CPF (11 digits) with valid check digits. */
export const demoCpf = (random: SeededRandom): string => {
  const base = Array.from({ length: 9 }, () => random.int(0, 9));
  if (base.every((digit) => digit === base[0])) base[0] = (base[0]! + 1) % 10;
  const first = checkDigit(base, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit([...base, first], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return [...base, first, second].join('');
};

/** A CNPJ (14 digits) with valid check digits. */
export const demoCnpj = (random: SeededRandom): string => {
  const base = [...Array.from({ length: 8 }, () => random.int(0, 9)), 0, 0, 0, 1];
  const first = checkDigit(base, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = checkDigit([...base, first], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return [...base, first, second].join('');
};

/** A Brazilian mobile number in E.164. */
export const demoPhone = (random: SeededRandom): string =>
  `+55${random.pick(AREA_CODES)}9${String(random.int(10_000_000, 99_999_999))}`;

/** Ticket subjects, some with the commas, quotes and line breaks a CSV export must quote. */
export const TICKET_SUBJECTS = [
  'Site fora do ar',
  'E-mail não envia, só recebe',
  'Dúvida sobre a fatura de "renovação"',
  'Como apontar o DNS do domínio?',
  'Certificado SSL expirado',
  'Lentidão no painel, principalmente à noite',
  'Migração de site de outro provedor',
  'Boleto com valor errado',
  'Backup: como restaurar\numa versão antiga',
  'Quero mudar de plano',
] as const;

export const CANCELLATION_REASONS = [
  'Mudança de provedor',
  'Projeto encerrado',
  'Preço',
  'Não uso mais o serviço',
  'Empresa fechou',
] as const;

export const INCIDENT_TITLES = [
  'Lentidão no acesso aos sites',
  'Falha no envio de e-mails',
  'Servidor indisponível',
  'Manutenção emergencial de disco',
  'Ataque de negação de serviço mitigado',
] as const;
