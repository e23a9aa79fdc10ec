/**
 * A chart image that reads on any screen: `chart.svg` keeps its text at 11 px
 * of the drawing, so a 640 px chart shrunk onto a 390 px phone would show
 * 6 px labels. Each source is a drawing no wider than the page's column at
 * the screen widths it is picked for, so it is shown at its own size (text
 * 11 px and more) from a 320 px screen up; no script picks it.
 */
import { CHART_DEFAULT_WIDTH_PX, CHART_MIN_WIDTH_PX } from '../embeds';
import { attr } from './layout';

/** The drawings offered, narrowest first; the last is the `<img>`'s own. */
export const CHART_PICTURE_WIDTHS_PX = [CHART_MIN_WIDTH_PX, 384, 480, 560, CHART_DEFAULT_WIDTH_PX] as const;

/**
 * The column is the screen less `main`'s padding (1rem each side), and a
 * desktop scrollbar may take some 16 px more: a drawing of `w` fits from a
 * screen of `w + 48` up.
 */
const SCREEN_SLACK_PX = 48;

const withWidth = (path: string, widthPx: number) => `${path}${path.includes('?') ? '&' : '?'}width=${widthPx}`;

/** `path`: a chart.svg URL with its query; `alt`: what the chart shows, for those who cannot see it. */
export function chartPicture(path: string, alt: string): string {
  const sources = CHART_PICTURE_WIDTHS_PX.slice(0, -1).map(
    (widthPx, i) =>
      `<source media="(max-width: ${CHART_PICTURE_WIDTHS_PX[i + 1] + SCREEN_SLACK_PX - 1}px)" srcset="${attr(withWidth(path, widthPx))}">`,
  );
  return `<picture>${sources.join('')}<img class="chart" src="${attr(path)}" alt="${attr(alt)}"></picture>`;
}
