/** Reading a chart.svg back: its texts, its lines and dots by colour, and the value it draws on each day. */
import { DAY_MS } from '@modelpulse/core/days';

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, B: 1e9 };
const fromShort = (text: string) => {
  const [, number, unit] = /^(-?[\d.]+)([kMB]?)$/.exec(text)!;
  return Number(number) * UNITS[unit];
};
export const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
/** The polylines drawn in a colour, each as its [x, y] points. */
export const linesIn = (svg: string, colour: string) =>
  [...svg.matchAll(new RegExp(`<polyline points="([^"]+)" fill="none" stroke="${colour}"`, 'g'))].map((m) =>
    m[1].split(' ').map((pair) => pair.split(',').map(Number)),
  );
export const dotsIn = (svg: string, colour: string) =>
  [...svg.matchAll(new RegExp(`<circle cx="([\\d.]+)" cy="([\\d.]+)" r="3" fill="${colour}"/>`, 'g'))].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);

/**
 * What a chart says of each day, read back from the drawing alone: the
 * y axis's labelled grid lines give value per pixel, the plot's width
 * gives the day of each x.
 */
export function readChart(svg: string, from: string, days: number, colour: string): Map<string, number> {
  const grid = [
    ...svg.matchAll(
      /<line x1="48" x2="(\d+)" y1="([\d.]+)" y2="[\d.]+" stroke="#d1d9e0"\/><text [^>]*>([^<]+)<\/text>/g,
    ),
  ].map((m) => ({ right: Number(m[1]), y: Number(m[2]), value: fromShort(m[3]) }));
  const [low, high] = [grid[0], grid.at(-1)!];
  const valueAt = (y: number) => low.value + ((low.y - y) / (low.y - high.y)) * (high.value - low.value);
  const dayAt = (x: number) =>
    new Date(Date.parse(from) + Math.round(((x - 48) / (low.right - 48)) * (days - 1)) * DAY_MS)
      .toISOString()
      .slice(0, 10);
  const drawn = new Map<string, number>();
  for (const [x, y] of [...linesIn(svg, colour).flat(), ...dotsIn(svg, colour)]) drawn.set(dayAt(x), valueAt(y));
  return drawn;
}
