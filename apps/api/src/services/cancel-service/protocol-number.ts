import { createHash } from 'node:crypto';

const DIGITS = 16;

/**
 * The protocol number a cancellation is recorded under: 16 digits derived from the command id, so a retry of the
 * same request (same Idempotency-Key) carries the same number, and the customer's receipt never changes.
 */
export const protocolNumberFor = (commandId: string): string => {
  const digest = createHash('sha256').update(`cancellation-protocol\u0000${commandId}`).digest();
  return (digest.readBigUInt64BE(0) % 10n ** BigInt(DIGITS)).toString().padStart(DIGITS, '0');
};
