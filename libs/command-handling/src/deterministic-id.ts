import { hash } from 'node:crypto';

/**
 * A UUID (version 5 layout) derived from its parts: the same command id, stream and index always give the same
 * event id, which is what makes a repeated command append nothing.
 */
export const deterministicUuid = (...parts: readonly string[]): string => {
  const bytes = hash('sha1', parts.join('\u0000'), 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A stable digest of a command's content (key order does not matter). */
export const commandDigest = (command: unknown): string =>
  hash('sha256', stableJson(command), 'hex').slice(0, 32);

const stableJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};
