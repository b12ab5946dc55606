/** Ends an exhaustive switch: fails to compile when a union member is not handled. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
