import { InvalidValueError } from '../shared/domain-error';

/** Longest topic or staff note accepted, in characters, after trimming. */
export const CALLBACK_TEXT_MAX_LENGTH = 1_000;

/**
 * A call-back's optional free text (the requester's topic, a staff note): trimmed, blank or absent means none.
 * Parsed where the request is decided (the contract) and again on the call-back's own stream.
 */
export const parseCallbackText = (field: string, value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidValueError(field, `The ${field} must be text.`);
  const trimmed = value.trim();
  if (trimmed.length > CALLBACK_TEXT_MAX_LENGTH)
    throw new InvalidValueError(
      field,
      `The ${field} must have at most ${CALLBACK_TEXT_MAX_LENGTH} characters.`,
    );
  return trimmed === '' ? null : trimmed;
};
