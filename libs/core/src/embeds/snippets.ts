/**
 * Every snippet the product offers for pasting into another site, in one
 * place: the iframes of the trending widget and of a model card, the
 * Markdown and HTML badges, the shields.io badge and the oEmbed endpoint.
 * The model page, the oEmbed answer, the README and docs/*.md all take
 * theirs from `snippet()` (test/lint/doc-snippets.spec.ts holds the docs to
 * it). Pure.
 */
import { escapeMarkup } from './format';
import { modelPageUrl, oembedDiscoveryHref, WIDGET_ROW_PX, type WidgetTheme } from './widget';

/** A widget: the leaderboard with its query (filters, `limit`, `theme`), or a model's card. */
export type WidgetTarget =
  | { kind: 'trending'; filters: URLSearchParams }
  | { kind: 'model'; id: string; theme?: WidgetTheme };

export interface MaxSize {
  widthPx?: number;
  heightPx?: number;
}

export type SnippetRequest =
  /** The widget in an iframe, its size within `max` (oEmbed's `maxwidth` × `maxheight`). */
  | { kind: 'iframe'; widget: WidgetTarget; max?: MaxSize }
  /** A badge (`metric` and its query, `style`, `label`…) linked to the model's page. */
  | { kind: 'markdown-badge' | 'html-badge'; id: string; metric?: string; options?: URLSearchParams }
  /** The badge drawn by shields.io from the endpoint JSON: shields.io fetches it, so PUBLIC_URL must be public. */
  | { kind: 'shields-badge'; id: string; metric?: string }
  /** Where oEmbed consumers ask for the widget of a page of this site. */
  | { kind: 'oembed-endpoint'; pageUrl: string }
  /**
   * A chart as an image: of one model (`/v1/models/{org}/{name}/chart.svg`)
   * or of several (`/v1/chart.svg?models=…`), with the chart's own query
   * (`metric`, `days`, `to`, `width`), and an `alt` saying what it draws.
   */
  | { kind: 'chart'; ids: readonly string[]; query?: URLSearchParams };

export const TRENDING_WIDGET_DEFAULT_LIMIT = 10;
export const TRENDING_WIDGET_MAX_LIMIT = 25;
const DEFAULT_WIDTH_PX = 400;
/**
 * The widgets' heights in Chromium, the same at every width from 320 px to
 * DEFAULT_WIDTH_PX and for any text (widget.ts fixes every line's height):
 * the trending widget's header and footer, each of its rows, and the card.
 * `test/browser/snippets.browser-spec.ts` checks that no row is cut off and
 * that the widgets fill these heights exactly.
 */
export const TRENDING_CHROME_PX = 112;
export const TRENDING_ROW_PX = WIDGET_ROW_PX;
export const CARD_HEIGHT_PX = 308;
const DEFAULT_BADGE_METRIC = 'downloads';

/** Rows the trending widget shows for these filters: their `limit` within the widget's bounds. */
export function trendingRows(filters: URLSearchParams): number {
  const limit = Number(filters.get('limit') ?? TRENDING_WIDGET_DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) return TRENDING_WIDGET_DEFAULT_LIMIT;
  return Math.min(limit, TRENDING_WIDGET_MAX_LIMIT);
}

/** The iframe's size: the widget's own, shrunk to fit `max` as the oEmbed spec requires. */
export function oembedSize(target: WidgetTarget, max: MaxSize = {}): { width: number; height: number } {
  const height =
    target.kind === 'model' ? CARD_HEIGHT_PX : TRENDING_CHROME_PX + TRENDING_ROW_PX * trendingRows(target.filters);
  return {
    width: Math.min(DEFAULT_WIDTH_PX, max.widthPx ?? DEFAULT_WIDTH_PX),
    height: Math.min(height, max.heightPx ?? height),
  };
}

/** Where the widget for a target lives. */
export function widgetUrl(publicUrl: string, target: WidgetTarget): string {
  if (target.kind === 'model') {
    const page = modelPageUrl(publicUrl, target.id);
    const path = `${publicUrl}/embed${page.slice(publicUrl.length)}`;
    return target.theme === undefined ? path : `${path}?theme=${target.theme}`;
  }
  const query = target.filters.toString();
  return `${publicUrl}/embed/trending${query ? `?${query}` : ''}`;
}

/** The iframe's title, which a screen reader announces before the widget. */
export function widgetTitle(target: WidgetTarget): string {
  return target.kind === 'model' ? `${target.id} on modelpulse` : 'Trending models on modelpulse';
}

/** A badge's image: `/badges/{org}/{name}/{metric}.svg` with its options. */
function badgeUrl(publicUrl: string, id: string, metric: string, options?: URLSearchParams): string {
  const path = modelPageUrl(publicUrl, id).slice(`${publicUrl}/models`.length);
  const query = options?.toString() ?? '';
  return `${publicUrl}/badges${path}/${metric}.svg${query ? `?${query}` : ''}`;
}

/**
 * The text to paste for one snippet. The iframe's sandbox lets the widget's
 * links open a tab and nothing else: no script, no same-origin access, no
 * top navigation.
 */
export function snippet(publicUrl: string, request: SnippetRequest): string {
  switch (request.kind) {
    case 'iframe': {
      const size = oembedSize(request.widget, request.max);
      return (
        `<iframe src="${escapeMarkup(widgetUrl(publicUrl, request.widget))}" width="${size.width}" height="${size.height}" ` +
        `title="${escapeMarkup(widgetTitle(request.widget))}" style="border:0;max-width:100%" loading="lazy" ` +
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>'
      );
    }
    case 'markdown-badge': {
      const metric = request.metric ?? DEFAULT_BADGE_METRIC;
      const badge = badgeUrl(publicUrl, request.id, metric, request.options);
      return `[![${metric}](${badge})](${modelPageUrl(publicUrl, request.id)})`;
    }
    case 'html-badge': {
      const metric = request.metric ?? DEFAULT_BADGE_METRIC;
      const badge = badgeUrl(publicUrl, request.id, metric, request.options);
      return (
        `<a href="${escapeMarkup(modelPageUrl(publicUrl, request.id))}">` +
        `<img src="${escapeMarkup(badge)}" alt="${escapeMarkup(`${metric} of ${request.id}`)}"></a>`
      );
    }
    case 'shields-badge': {
      const metric = request.metric ?? DEFAULT_BADGE_METRIC;
      const endpoint = badgeUrl(publicUrl, request.id, metric).replace(/\.svg$/, '.json');
      return `![${metric}](https://img.shields.io/endpoint?url=${encodeURIComponent(endpoint)})`;
    }
    case 'oembed-endpoint':
      return oembedDiscoveryHref(publicUrl, request.pageUrl);
    case 'chart':
      return `<img src="${escapeMarkup(chartUrl(publicUrl, request.ids, request.query))}" alt="${escapeMarkup(chartAlt(request.ids, request.query))}">`;
  }
}

/** A chart's image: one model's chart, or the chart of several, with the chart's own query. */
function chartUrl(publicUrl: string, ids: readonly string[], query?: URLSearchParams): string {
  const rest = query?.toString() ?? '';
  if (ids.length === 1) {
    const path = modelPageUrl(publicUrl, ids[0]).slice(`${publicUrl}/models`.length);
    return `${publicUrl}/v1/models${path}/chart.svg${rest ? `?${rest}` : ''}`;
  }
  return `${publicUrl}/v1/chart.svg?models=${ids.join(',')}${rest ? `&${rest}` : ''}`;
}

/** `Daily downloads of a/b and c/d over the last 90 days`, as the chart's query and defaults say. */
function chartAlt(ids: readonly string[], query?: URLSearchParams): string {
  const metric = query?.get('metric') ?? 'downloads';
  const days = query?.get('days') ?? '90';
  const to = query?.get('to');
  const names = ids.length === 1 ? ids[0] : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
  const span = to ? `the ${days} days to ${to}` : `the last ${days} days`;
  return metric === 'rank'
    ? `Trending rank of ${names} each day over ${span}`
    : `Daily ${metric} of ${names} over ${span}`;
}
