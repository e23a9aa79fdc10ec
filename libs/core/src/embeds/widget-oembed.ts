/**
 * oEmbed (https://oembed.com) for this site's pages: which widget a page URL
 * stands for. Its size and its snippet are `snippets.ts`'s. Pure.
 */
import { isValidModelId } from '../catalog';
import type { WidgetTarget } from './snippets';

/** The site's page filters a trending widget carries over (the leaderboard's own query names). */
export const TRENDING_PAGE_FILTERS = ['license', 'task', 'organization', 'minParams', 'maxParams', 'asOf', 'limit'];

/** What oEmbed answers for a page: its widget. */
export type OembedTarget = WidgetTarget;

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
