/** oEmbed (https://oembed.com) for this site's pages: which widget a page URL stands for, and how big. Pure. */
import { isValidModelId } from '../catalog';
import { escapeMarkup } from './format';

/** The site's page filters a trending widget carries over (the leaderboard's own query names). */
export const TRENDING_PAGE_FILTERS = ['license', 'task', 'organization', 'minParams', 'maxParams', 'asOf', 'limit'];

export type OembedTarget = { kind: 'trending'; filters: URLSearchParams } | { kind: 'model'; id: string };

export const TRENDING_WIDGET_DEFAULT_LIMIT = 10;
export const TRENDING_WIDGET_MAX_LIMIT = 25;
const DEFAULT_WIDTH_PX = 400;
/** Heights the widgets take at the default width with one-line ids: a header, rows, a footer. */
const TRENDING_CHROME_PX = 136;
const TRENDING_ROW_PX = 52;
const CARD_HEIGHT_PX = 380;

/**
 * The page of this site a URL names: the leaderboard (`/`, with its
 * filters) or a model page (`/models/{org}/{name}`); null for anything else,
 * another host included. Either scheme is taken, since a site often answers on both.
 */
export function oembedTarget(publicUrl: string, url: URL): OembedTarget | null {
  const base = new URL(publicUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.host.toLowerCase() !== base.host.toLowerCase()) return null;
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return null;
  const path = url.pathname.slice(basePath.length).replace(/\/+$/, '');
  if (path === '') {
    const filters = new URLSearchParams();
    for (const key of TRENDING_PAGE_FILTERS) {
      const value = url.searchParams.get(key);
      if (value !== null && value !== '') filters.set(key, value);
    }
    return { kind: 'trending', filters };
  }
  const match = /^\/models\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return null;
  let id: string;
  try {
    id = `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`;
  } catch {
    return null;
  }
  return isValidModelId(id) ? { kind: 'model', id } : null;
}

/** Rows the trending widget shows for these filters: the page's `limit` within the widget's bounds. */
export function trendingRows(filters: URLSearchParams): number {
  const limit = Number(filters.get('limit') ?? TRENDING_WIDGET_DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) return TRENDING_WIDGET_DEFAULT_LIMIT;
  return Math.min(limit, TRENDING_WIDGET_MAX_LIMIT);
}

/** The iframe's size: the widget's own, shrunk to fit `maxwidth` × `maxheight` as the spec requires. */
export function oembedSize(
  target: OembedTarget,
  max: { widthPx?: number; heightPx?: number },
): { width: number; height: number } {
  const height =
    target.kind === 'model' ? CARD_HEIGHT_PX : TRENDING_CHROME_PX + TRENDING_ROW_PX * trendingRows(target.filters);
  return {
    width: Math.min(DEFAULT_WIDTH_PX, max.widthPx ?? DEFAULT_WIDTH_PX),
    height: Math.min(height, max.heightPx ?? height),
  };
}

/** Where the widget for a target lives. */
export function widgetUrl(publicUrl: string, target: OembedTarget): string {
  if (target.kind === 'model') {
    return `${publicUrl}/embed/models/${target.id.split('/').map(encodeURIComponent).join('/')}`;
  }
  const query = target.filters.toString();
  return `${publicUrl}/embed/trending${query ? `?${query}` : ''}`;
}

/**
 * The snippet to paste. The sandbox lets the widget's links open a tab and
 * nothing else: no script, no same-origin access, no top navigation.
 */
export function iframeSnippet(src: string, size: { width: number; height: number }, title: string): string {
  return (
    `<iframe src="${escapeMarkup(src)}" width="${size.width}" height="${size.height}" title="${escapeMarkup(title)}" ` +
    'style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>'
  );
}
