/** One bad field of a refused request: where it is (`phones[1]`, `address.city`) and what is wrong, never its value. */
export type FieldProblem = Readonly<{ field: string; message: string }>;

/** The body of every answer that is not a success (shared/api.md). */
export type ErrorBody = Readonly<{
  statusCode: number;
  /** Stable, for programs: `VALIDATION_FAILED`, `OWNER_NOT_EDITABLE`… */
  code: string;
  /** For a person. */
  message: string;
  /** For 400 VALIDATION_FAILED, the list of {@link FieldProblem}s; for a 422, what the rule refused. */
  details?: unknown;
}>;
