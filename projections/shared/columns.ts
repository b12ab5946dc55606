import type { ColumnType } from 'kysely';

/** A jsonb column: read back parsed, written as JSON text (pg would send a JS array as a Postgres array). */
export type JsonColumn<T> = ColumnType<T, string, string>;

/** A timestamptz column: read back as a Date, written as an ISO-8601 instant. */
export type InstantColumn = ColumnType<Date, string, string>;

/** A timestamptz column that may be empty. */
export type NullableInstantColumn = ColumnType<Date | null, string | null, string | null>;

/** The text a {@link JsonColumn} is written with. */
export const toJson = <T>(value: T): string => JSON.stringify(value);
