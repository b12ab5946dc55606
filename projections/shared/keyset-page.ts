/**
 * Which page of a list to read: at most `limit` rows, those after the row whose key is `after` (from the start
 * when absent). Each list query names the column that is its key; reading `limit + 1` rows to learn whether
 * another page exists is the caller's business.
 */
export type KeysetPage = Readonly<{ limit: number; after?: string | undefined }>;
