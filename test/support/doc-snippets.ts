import type { SnippetRequest } from '@modelpulse/core/embeds';

/**
 * The embed snippets of the README and docs/*.md, read from the Markdown as
 * a reader copies them, each with the request to `snippet()` its own URL
 * stands for: an `<iframe …></iframe>` on one line, a Markdown or HTML badge
 * linked to its model, a shields.io endpoint badge, a chart's image on one
 * line. Whatever else names a widget, a badge or a chart (an iframe or an
 * image over several lines, a badge image with no link) is returned in `strays`, so a snippet in a form of its own cannot
 * slip past the comparison.
 */
export interface DocSnippet {
  file: string;
  /** 1-based line. */
  line: number;
  text: string;
  request: SnippetRequest;
}

const IFRAME = /<iframe\b[^>\n]*><\/iframe>/g;
const HTML_BADGE = /<a href="[^"\n]*"><img src="([^"\n]*\/badges\/[^"\n]*)" alt="[^"\n]*"><\/a>/g;
const MARKDOWN_BADGE = /\[!\[[^\]\n]*\]\(([^)\s]*\/badges\/[^)\s]*)\)\]\([^)\s]*\)/g;
const SHIELDS_BADGE = /!\[[^\]\n]*\]\((https:\/\/img\.shields\.io\/endpoint\?url=[^)\s]*)\)/g;
const CHART = /<img src="([^"\n]*\/chart\.svg[^"\n]*)" alt="[^"\n]*">/g;
/** Where a snippet starts: each must be inside one of the forms above (an answer may elide one as `<iframe …>`). */
const STARTS = [
  /<iframe\b(?! …>)/g,
  /<img src="[^"\n]*\/badges\//g,
  /!\[[^\]\n]*\]\([^)\s]*\/badges\//g,
  /img\.shields\.io\/endpoint/g,
  /<img\s+src="[^"]*\/chart\.svg/g,
  /<source\b[^>]*\/chart\.svg/g,
];

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function badgeRequest(kind: 'markdown-badge' | 'html-badge', href: string): SnippetRequest | null {
  const url = new URL(href);
  const match = /\/badges\/([^/]+)\/([^/]+)\/([^/]+)\.svg$/.exec(url.pathname);
  if (!match) return null;
  const id = `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`;
  const options = [...url.searchParams.keys()].length > 0 ? url.searchParams : undefined;
  return { kind, id, metric: match[3], ...(options ? { options } : {}) };
}

function iframeRequest(tag: string): SnippetRequest | null {
  const src = /\ssrc="([^"]*)"/.exec(tag);
  if (!src) return null;
  const url = new URL(unescape(src[1]));
  if (url.pathname === '/embed/trending')
    return { kind: 'iframe', widget: { kind: 'trending', filters: url.searchParams } };
  const model = /^\/embed\/models\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!model) return null;
  const theme = url.searchParams.get('theme');
  const id = `${decodeURIComponent(model[1])}/${decodeURIComponent(model[2])}`;
  return {
    kind: 'iframe',
    widget: theme === 'light' || theme === 'dark' ? { kind: 'model', id, theme } : { kind: 'model', id },
  };
}

function shieldsRequest(href: string): SnippetRequest | null {
  const endpoint = new URL(href).searchParams.get('url');
  const match =
    endpoint === null ? null : /\/badges\/([^/]+)\/([^/]+)\/([^/]+)\.json$/.exec(new URL(endpoint).pathname);
  if (!match) return null;
  return {
    kind: 'shields-badge',
    id: `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`,
    metric: match[3],
  };
}

function chartRequest(href: string): SnippetRequest | null {
  const url = new URL(href);
  const query = new URLSearchParams(url.searchParams);
  let ids: string[];
  if (url.pathname === '/v1/chart.svg') {
    ids = (query.get('models') ?? '').split(',');
    query.delete('models');
  } else {
    const model = /^\/v1\/models\/([^/]+)\/([^/]+)\/chart\.svg$/.exec(url.pathname);
    if (!model) return null;
    ids = [`${decodeURIComponent(model[1])}/${decodeURIComponent(model[2])}`];
  }
  return { kind: 'chart', ids, ...([...query.keys()].length > 0 ? { query } : {}) };
}

export function extractSnippets(file: string, markdown: string): { snippets: DocSnippet[]; strays: string[] } {
  const lineAt = (index: number) => markdown.slice(0, index).split('\n').length;
  const snippets: DocSnippet[] = [];
  const covered: [number, number][] = [];
  const take = (pattern: RegExp, request: (match: RegExpMatchArray) => SnippetRequest | null) => {
    for (const match of markdown.matchAll(pattern)) {
      const start = match.index ?? 0;
      // A badge inside a link is the Markdown badge, already taken; its image is not one of its own.
      if (covered.some(([from, to]) => start >= from && start < to)) continue;
      const found = request(match);
      if (found === null) continue;
      covered.push([start, start + match[0].length]);
      snippets.push({ file, line: lineAt(start), text: match[0], request: found });
    }
  };
  take(IFRAME, (m) => iframeRequest(m[0]));
  take(HTML_BADGE, (m) => badgeRequest('html-badge', unescape(m[1])));
  take(MARKDOWN_BADGE, (m) => badgeRequest('markdown-badge', m[1]));
  take(SHIELDS_BADGE, (m) => shieldsRequest(m[1]));
  take(CHART, (m) => chartRequest(unescape(m[1])));
  const strays = STARTS.flatMap((pattern) =>
    [...markdown.matchAll(pattern)]
      .filter((m) => !covered.some(([from, to]) => (m.index ?? 0) >= from && (m.index ?? 0) < to))
      .map((m) => `${file}:${lineAt(m.index ?? 0)}: ${markdown.slice(m.index, (m.index ?? 0) + 80).split('\n')[0]}`),
  );
  return { snippets: snippets.sort((a, b) => a.line - b.line), strays };
}
