/**
 * The most a figure holds. A download counter goes up to 2^53 − 1, the
 * largest whole number a JSON number carries exactly; likes, stars and forks
 * up to 2^31 − 1. A sum over many sources or models stops at the same
 * bound instead of overflowing a column or losing digits.
 */
export const MAX_DOWNLOADS = Number.MAX_SAFE_INTEGER;
export const MAX_LIKES = 2_147_483_647;

/** A downloads sum, read back from SQL (numeric text) or added up here, held to MAX_DOWNLOADS. */
export const cappedDownloads = (value: number | string): number => Math.min(Number(value), MAX_DOWNLOADS);

/** A likes or stars sum held to MAX_LIKES. */
export const cappedLikes = (value: number | string): number => Math.min(Number(value), MAX_LIKES);
