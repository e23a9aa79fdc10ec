/**
 * The iframe widgets as self-contained HTML: inline CSS, an inline SVG
 * sparkline, no script and nothing fetched, so the embed CSP (`default-src
 * 'none'`) holds and a reader needs nothing but the document. Pure.
 */
import { escapeMarkup, shortNumber } from './format';
import type { EmptyExplanation } from './empty-state';

export const WIDGET_THEMES = ['light', 'dark'] as const;
export type WidgetTheme = (typeof WIDGET_THEMES)[number];

/** Where the widgets link to and how they are found: built from `PUBLIC_URL`. */
export interface WidgetSite {
  publicUrl: string;
  /** The page this widget stands for, announced for oEmbed discovery. */
  pageUrl: string;
}

export interface TrendingWidgetEntry {
  rank: number;
  previousRank: number | null;
  id: string;
  license: string | null;
  downloads30d: number | null;
}

export interface TrendingWidgetInput {
  site: WidgetSite;
  theme: WidgetTheme;
  asOf: string;
  entries: readonly TrendingWidgetEntry[];
  /** The entries are ranked on demo data (`npm run cli -- demo`). */
  demo: boolean;
  /** Why there is no entry, when there is none. */
  empty: EmptyExplanation | null;
  /** The rows asked for: an empty leaderboard's explanation takes their place. */
  limit: number;
}

export interface ModelCardInput {
  site: WidgetSite;
  theme: WidgetTheme;
  model: {
    id: string;
    description: string | null;
    licenseName: string | null;
    parameters: number | null;
    releaseDate: string | null;
    tags: readonly string[];
    downloads30d: number | null;
    /** Its figures are demo data (`npm run cli -- demo`). */
    demo: boolean;
  };
  /** Downloads a day over the last 30 days, oldest first; empty before the first reading, null where unknown. */
  dailyDownloads: readonly (number | null)[];
  trending: { rank: number; previousRank: number | null; asOf: string } | null;
}

/**
 * Colours checked for WCAG AA (4.5:1 for text) against their own background:
 * GitHub's Primer light and dark palettes, whose values are published with
 * their contrast ratios.
 */
const PALETTES: Record<WidgetTheme, Record<string, string>> = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    link: '#0550ae',
    line: '#d1d9e0',
    up: '#1a7f37',
    down: '#cf222e',
    spark: '#0969da',
  },
  dark: {
    bg: '#0d1117',
    fg: '#f0f6fc',
    muted: '#9198a1',
    link: '#4493f8',
    line: '#3d444d',
    up: '#3fb950',
    down: '#f85149',
    spark: '#4493f8',
  },
};

/** Shortest the description on a card gets cut to: a card is a glance, the page has the rest. */
const DESCRIPTION_MAX_CHARS = 160;
const MAX_TAGS = 5;

export function modelPageUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/models/${id.split('/').map(encodeURIComponent).join('/')}`;
}

export function oembedDiscoveryHref(publicUrl: string, pageUrl: string): string {
  return `${publicUrl}/oembed?url=${encodeURIComponent(pageUrl)}&format=json`;
}

function palette(theme: WidgetTheme): string {
  return Object.entries(PALETTES[theme])
    .map(([name, value]) => `--${name}:${value}`)
    .join(';');
}

/**
 * The height of a widget depends on its number of rows alone, never on
 * its width (320 px up to the snippet's) or its text: every line is a box
 * of its own height in px, one line long (a long name is cut with an
 * ellipsis, the whole id in the link's title), and the boxes of several
 * lines (the widget's note, a card's description, an empty leaderboard's
 * explanation) are clamped to their lines. So the snippets can give the
 * iframe the height the widget takes (`snippets.ts`, measured in Chromium),
 * and `test/browser/snippets.browser-spec.ts` checks no row is cut off.
 */
export const WIDGET_ROW_PX = 48;
/** An empty leaderboard's explanation: lines of this height in the rows' place. */
const EMPTY_LINE_PX = 24;
const ONE_LINE = 'white-space:nowrap;overflow:hidden;text-overflow:ellipsis';
const CSS = [
  '*{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;background:var(--bg);color:var(--fg);font:14px/20px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif}',
  '.theme-dark{color-scheme:dark}.theme-light{color-scheme:light}',
  'main{padding:12px 12px 0}',
  `h1{font-size:16px;line-height:20px;height:20px;margin:0 0 4px;${ONE_LINE}}`,
  'a{color:var(--link)}',
  '.muted{color:var(--muted);font-size:12px;line-height:16px}',
  '.clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden;margin:0}',
  '.note{height:32px;-webkit-line-clamp:2;margin:0 0 8px}',
  '.line{display:block;' + ONE_LINE + '}',
  '.ranking{list-style:none;margin:0;padding:0}',
  `.ranking li{display:grid;grid-template-columns:2em 3.2em minmax(0,1fr) auto;gap:0 8px;align-items:center;height:${WIDGET_ROW_PX}px;overflow:hidden;border-top:1px solid var(--line)}`,
  '.rank{font-weight:600;text-align:right}',
  '.up{color:var(--up)}.down{color:var(--down)}.same,.new{color:var(--muted)}',
  '.change{font-size:12px;white-space:nowrap}',
  '.model{min-width:0}.model a{font-weight:600}',
  '.num{text-align:right;white-space:nowrap}',
  `.empty{-webkit-line-clamp:var(--lines);height:calc(var(--lines) * ${EMPTY_LINE_PX}px);line-height:${EMPTY_LINE_PX}px;border-top:1px solid var(--line)}`,
  '.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}',
  '.desc{height:40px;-webkit-line-clamp:2}',
  '.tags{margin:8px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:0 4px;height:20px;overflow:hidden}',
  '.tags li{border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px;line-height:18px;height:20px;white-space:nowrap}',
  'dl{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px;margin:12px 0}',
  'dl div{min-width:0}',
  `dt{color:var(--muted);font-size:12px;line-height:16px;height:16px;${ONE_LINE}}`,
  `dd{margin:0;font-weight:600;height:20px;${ONE_LINE}}`,
  `.total{margin:0;height:20px;${ONE_LINE}}`,
  '.spark{display:block;width:100%;height:40px;margin-top:4px}',
  `footer{padding:8px 12px 12px;font-size:12px;line-height:16px;height:36px;color:var(--muted);${ONE_LINE}}`,
].join('');

/**
 * What a widget's last line says: where the figures come from, or that they
 * are the demo's. The mark lives here, in a line every widget has, so a demo
 * widget is exactly as tall as a counted one.
 */
function footer(publicUrl: string, demo: boolean): string {
  const site = `<a href="${escapeMarkup(publicUrl)}/" target="_blank" rel="noopener">modelpulse</a>`;
  return demo
    ? `<footer><strong>Demo data</strong>, made up, not counted · ${site}</footer>`
    : `<footer>Data: ${site}</footer>`;
}

function page(options: {
  title: string;
  theme: WidgetTheme;
  site: WidgetSite;
  main: string;
  demo: boolean;
  css?: string;
}): string {
  const { site } = options;
  const discovery = escapeMarkup(oembedDiscoveryHref(site.publicUrl, site.pageUrl));
  return (
    '<!doctype html>\n' +
    '<html lang="en">' +
    '<head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${options.title}</title>` +
    `<link rel="alternate" type="application/json+oembed" href="${discovery}" title="${options.title}">` +
    `<style>body{${palette(options.theme)}}${CSS}${options.css ?? ''}</style>` +
    '</head>' +
    `<body class="theme-${options.theme}">` +
    `<main>${options.main}</main>` +
    footer(site.publicUrl, options.demo) +
    '</body></html>\n'
  );
}

/** ▲ for a climb, ▼ for a fall, "new" for a model not ranked the day before; spelled out for screen readers. */
export function rankChange(rank: number, previousRank: number | null): string {
  if (previousRank === null) return '<span class="change new">new</span>';
  const moved = previousRank - rank;
  if (moved > 0)
    return `<span class="change up"><span aria-hidden="true">▲${moved}</span><span class="sr">up ${moved}</span></span>`;
  if (moved < 0) {
    return `<span class="change down"><span aria-hidden="true">▼${-moved}</span><span class="sr">down ${-moved}</span></span>`;
  }
  return '<span class="change same"><span aria-hidden="true">–</span><span class="sr">unchanged</span></span>';
}

/** A link to a model's page on one line (its id, or the `text` given): cut short on screen if long, its title the whole id. */
function modelLink(publicUrl: string, id: string, options: { className?: string; text?: string } = {}): string {
  const { className, text = id } = options;
  return (
    `<a${className ? ` class="${className}"` : ''} href="${escapeMarkup(modelPageUrl(publicUrl, id))}" title="${escapeMarkup(id)}" ` +
    `target="_blank" rel="noopener">${escapeMarkup(text)}</a>`
  );
}

const organizationOf = (id: string) => id.slice(0, id.indexOf('/'));
const nameOf = (id: string) => id.slice(id.indexOf('/') + 1);
const downloads = (value: number | null) => (value === null ? '–' : shortNumber(value));

export function renderTrendingWidget(input: TrendingWidgetInput): string {
  const { publicUrl } = input.site;
  const rows = input.entries.map(
    (entry) =>
      '<li>' +
      `<span class="rank">${entry.rank}</span>` +
      rankChange(entry.rank, entry.previousRank) +
      // The name first and the organization under it: what tells a model from its siblings
      // (DeepSeek-R1-Distill-Qwen-7B, -14B, -32B) is at the end of its id, which a line cut short loses.
      `<span class="model">${modelLink(publicUrl, entry.id, { className: 'line', text: nameOf(entry.id) })}` +
      `<span class="muted line">${escapeMarkup(organizationOf(entry.id))} · ` +
      `${entry.license === null ? 'licence unknown' : escapeMarkup(entry.license)}</span></span>` +
      `<span class="num"><span class="line">${downloads(entry.downloads30d)}</span><span class="muted line">30 d</span></span>` +
      '</li>',
  );
  // An empty leaderboard explains itself in the rows' place, in as many lines as they would take.
  const emptyLines = Math.floor((Math.max(1, input.limit) * WIDGET_ROW_PX) / EMPTY_LINE_PX);
  const list =
    rows.length > 0
      ? `<ol class="ranking" aria-label="Ranking">${rows.join('')}</ol>`
      : `<p class="empty clamp">${(input.empty?.lines ?? ['No model is ranked.']).map(escapeMarkup).join(' ')}</p>`;
  return page({
    title: 'Trending models · modelpulse',
    theme: input.theme,
    site: input.site,
    demo: input.demo,
    css: rows.length > 0 ? '' : `.empty{--lines:${emptyLines}}`,
    main:
      '<h1>Trending models</h1>' +
      `<p class="muted note clamp">As of ${input.asOf} (UTC) · rank change since the day before · downloads over 30 days</p>` +
      list,
  });
}

/**
 * Downloads a day as a line in a 100×40 box stretched to the card's width.
 * Inline in the page (not a data: image) so its label reaches screen readers.
 * An unknown day (null) is a gap in the line, never a dip to the floor; a
 * known day between two gaps is a dot (a round cap on a line of no length).
 */
export function renderSparkline(values: readonly (number | null)[], label: string): string {
  const open = `<svg class="spark" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label="${escapeMarkup(label)}">`;
  if (values.length === 0) return `${open}<line x1="0" y1="39" x2="100" y2="39" stroke="var(--line)"/></svg>`;
  const max = Math.max(1, ...values.filter((v) => v !== null));
  const step = values.length > 1 ? 100 / (values.length - 1) : 0;
  const at = (v: number, i: number) =>
    `${Math.round(i * step * 10) / 10},${Math.round((38 - (Math.max(0, v) / max) * 36) * 10) / 10}`;
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) runs.push([]);
    else runs[runs.length - 1].push(at(v, i));
  });
  const lines = runs
    .filter((run) => run.length > 0)
    .map((run) => {
      let points = run.join(' ');
      // The only day there is spreads across the card; a lone day among unknown ones is a dot.
      if (values.length === 1) points = `0,${run[0].split(',')[1]} 100,${run[0].split(',')[1]}`;
      else if (run.length === 1) points = `${run[0]} ${run[0]}`;
      return (
        `<polyline points="${points}" fill="none" stroke="var(--spark)" stroke-width="2" ` +
        'vector-effect="non-scaling-stroke" stroke-linejoin="round" stroke-linecap="round"/>'
      );
    });
  return `${open}${lines.join('')}</svg>`;
}

function shorten(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars
    ? text
    : `${chars
        .slice(0, maxChars - 1)
        .join('')
        .trimEnd()}…`;
}

/** What the sparkline says to a screen reader, which sees no gap: how many days are unknown. */
function sparklineLabel(id: string, values: readonly (number | null)[]): string {
  const unknown = values.filter((v) => v === null).length;
  const note = unknown === 0 ? '' : ` (${unknown} ${unknown === 1 ? 'day' : 'days'} unknown)`;
  return `Downloads a day over the last 30 days, ${id}${note}`;
}

export function renderModelCard(input: ModelCardInput): string {
  const { model, trending } = input;
  const fact = (term: string, value: string) => `<div><dt>${term}</dt><dd>${value}</dd></div>`;
  const facts = [
    fact('Licence', model.licenseName === null ? 'unknown' : escapeMarkup(model.licenseName)),
    fact('Size', model.parameters === null ? 'unknown' : `${shortNumber(model.parameters)} parameters`),
    fact('Released', model.releaseDate ?? 'unknown'),
    fact(
      'Trending',
      trending === null ? 'not ranked' : `#${trending.rank} ${rankChange(trending.rank, trending.previousRank)}`,
    ),
  ];
  const tags = model.tags.slice(0, MAX_TAGS).map((tag) => `<li>${escapeMarkup(tag)}</li>`);
  const title = `${escapeMarkup(model.id)} · modelpulse`;
  return page({
    title,
    theme: input.theme,
    site: input.site,
    demo: model.demo,
    main:
      `<h1>${modelLink(input.site.publicUrl, model.id)}</h1>` +
      (model.description
        ? `<p class="desc clamp">${escapeMarkup(shorten(model.description, DESCRIPTION_MAX_CHARS))}</p>`
        : '<p class="desc clamp muted">No description given.</p>') +
      // The tags' line is there without tags too: the card keeps its height.
      (tags.length > 0 ? `<ul class="tags" aria-label="Tags">${tags.join('')}</ul>` : '<div class="tags"></div>') +
      `<dl>${facts.join('')}</dl>` +
      '<section aria-label="Downloads">' +
      `<p class="total"><strong>${downloads(model.downloads30d)}</strong> downloads in the last 30 days</p>` +
      renderSparkline(input.dailyDownloads, sparklineLabel(model.id, input.dailyDownloads)) +
      '</section>',
  });
}
