/** Text for embeds and pages: short numbers and safe markup. Pure. */

const UNITS = [
  { size: 1e12, suffix: 'T' },
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/**
 * A count in at most three significant figures: 950, 1.2k, 45k, 1.2M, 671B.
 * Rounds down, so a badge never claims more than happened (999,999 is 999k).
 */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return '?';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  for (const [i, { size, suffix }] of UNITS.entries()) {
    if (abs < size) continue;
    const scaled = abs / size;
    const decimals = scaled < 10 ? 1 : 0;
    const factor = 10 ** decimals;
    const floored = Math.floor(scaled * factor) / factor;
    // 999.95k floors to 999k; only a unit up would read 1M, which rounding down never reaches.
    if (floored >= 1000 && i > 0) return `${sign}${Math.floor(floored / 1000)}${UNITS[i - 1].suffix}`;
    return `${sign}${floored.toFixed(decimals).replace(/\.0$/, '')}${suffix}`;
  }
  return `${sign}${Math.floor(abs)}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML and SVG, in element content and quoted attributes alike. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
