/** An instant column as the API writes it, ISO-8601 UTC, whichever way the driver read it back. */
export const isoInstant = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

export const isoInstantOrNull = (value: Date | string | null): string | null =>
  value === null ? null : isoInstant(value);
