/** The secret bearer tokens are verified with (`resolveJwtSecret`). */
export const ACCESS_TOKEN_SECRET = Symbol('AccessTokenSecret');
