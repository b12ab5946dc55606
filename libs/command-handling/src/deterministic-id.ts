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

// Loops rather than entries, filter, map and join: it runs on every command (a tenth of the write path's own
// CPU), and its output must stay byte for byte what it was (see the spec).
const stableJson = (value: unknown): string => {
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++)
      out += (index > 0 ? ',' : '') + stableJson(value[index]);
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    for (const key of Object.keys(record).sort()) {
      const field = record[key];
      if (field === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${stableJson(field)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
};
