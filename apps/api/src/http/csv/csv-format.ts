/**
 * One CSV field (RFC 4180): text with a comma, a double quote, a line break or surrounding spaces is quoted, its
 * quotes doubled; `null` and `undefined` are empty; objects and arrays are written as JSON; dates as ISO-8601.
 */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
          ? value.toString()
          : (JSON.stringify(value) ?? '');
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One CSV record, ended with CRLF as RFC 4180 has it. */
export const csvRecord = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;
