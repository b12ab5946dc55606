declare const positionBrand: unique symbol;

/**
 * An opaque place in the global log. Positions compare as plain strings (fixed-width hex), so they sort,
 * serialize into checkpoints and travel in HTTP headers as they are.
 */
export type Position = string & { readonly [positionBrand]: true };

const WIDTH = 16;
const POSITION_PATTERN = /^[0-9a-f]{16}-[0-9a-f]{16}$/;

/** Builds a position from its two ordered parts (Postgres: transaction id and sequence; EventStoreDB: commit and prepare). */
export const encodePosition = (major: bigint, minor: bigint): Position => {
  if (major < 0n || minor < 0n) throw new RangeError('position parts must not be negative');
  return `${major.toString(16).padStart(WIDTH, '0')}-${minor.toString(16).padStart(WIDTH, '0')}` as Position;
};

export const decodePosition = (position: Position): { major: bigint; minor: bigint } => {
  const [major = '', minor = ''] = position.split('-');
  return { major: BigInt(`0x${major}`), minor: BigInt(`0x${minor}`) };
};

/** Validates a position that came from outside (a checkpoint row, an `X-Min-Position` header). */
export const parsePosition = (input: string): Position | undefined =>
  POSITION_PATTERN.test(input) ? (input as Position) : undefined;

export const comparePositions = (a: Position, b: Position): number => (a < b ? -1 : a > b ? 1 : 0);

/** The position before every event. */
export const START_POSITION = encodePosition(0n, 0n);
