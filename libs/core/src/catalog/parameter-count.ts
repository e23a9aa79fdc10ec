const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };

/**
 * Reads a parameter count as people write it: `7000000000`, `7B`, `1.5T`,
 * `350M`, `125k` (case-insensitive). Null when it is not one, or not a whole
 * number of parameters.
 */
export function parseParameterCount(input: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmbt])?\s*$/i.exec(input);
  if (!match) return null;
  const [, digits, suffix] = match;
  const [whole, fraction = ''] = digits.split('.');
  const scale = suffix ? SUFFIX[suffix.toLowerCase()] : 1;
  const decimals = fraction.length;
  // Whole-number arithmetic, so 1.1B is 1100000000 and not 1100000000.0000002.
  const value = (Number(whole + fraction) * scale) / 10 ** decimals;
  if (!Number.isSafeInteger(value)) return null;
  return value;
}
