/**
 * The browsable site's HTML: plain functions from data to a page, with no
 * Nest, database or clock in sight. Every string that comes from a model
 * (ids, names, descriptions, tags, titles, URLs) goes through `escapeMarkup`
 * or `attr`, so a hostile catalogue entry renders as text.
 */
import type { LicenseSummaryDto } from '../catalog/dto/directory.dto';
import type { LineageDto, LineageNodeDto } from '../catalog/dto/lineage.dto';
import type { ModelDetailDto } from '../catalog/dto/model.dto';
import { splitModelId } from '../catalog/model-id';
import { parseParameterCount } from '../catalog/parameter-count';
import type { RankHistoryDto, TrendingEntryDto, TrendingRankingDto } from '../rankings/dto/ranking.dto';
import { escapeMarkup, shortNumber } from '../embeds/format';

/** The filters the home page's form shows, as the request gave them. */
export interface HomeFilters {
  licenses?: string[];
  task?: string;
  organizations?: string[];
  minParams?: number;
  maxParams?: number;
  asOf?: string;
  limit: number;
  collapseFamilies: boolean;
}

export interface HomePageData {
  publicUrl: string;
  ranking: TrendingRankingDto;
  filters: HomeFilters;
  licenses: LicenseSummaryDto[];
}

export interface ModelPageData {
  publicUrl: string;
  model: ModelDetailDto;
  lineage: LineageDto;
  history: RankHistoryDto;
}

/** What an error page says: the status, and the problem's detail and field errors. */
export interface ErrorPageData {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  requestId?: string;
}

const LIMITS = [10, 20, 50, 100] as const;

const FLAG_LABELS: Record<string, string> = {
  new: 'new',
  uncorroborated_surge: 'surge without engagement',
  imputed_days: 'imputed days',
  unknown_days: 'missing days',
  insufficient_history: 'short history',
};

const RELATION_LABELS: Record<string, string> = {
  finetune: 'fine-tune',
  quantized: 'quantization',
  adapter: 'adapter',
  merge: 'merge',
  distillation: 'distillation',
};

const html = escapeMarkup;
/** For attribute values: the same escaping, named for where it is used. */
const attr = escapeMarkup;

/** `/models/{org}/{name}` with each part encoded, so an id can never break out of its path segment. */
export function modelPath(id: string): string {
  const { organization, name } = splitModelId(id);
  return `/models/${encodeURIComponent(organization)}/${encodeURIComponent(name)}`;
}

const apiModelPath = (id: string) => `/v1${modelPath(id)}`;
const badgePath = (id: string) => `/badges${modelPath(id).slice('/models'.length)}/downloads.svg`;
const embedPath = (id: string) => `/embed${modelPath(id)}`;

function modelLink(id: string): string {
  return `<a href="${attr(modelPath(id))}">${html(id)}</a>`;
}

const exact = (value: number) => value.toLocaleString('en-US');
const score = (value: number) => value.toFixed(2);

/** A parameter count as a person would type it back into the form (7B, 1.5T), when that is exact. */
export function parameterInput(value: number): string {
  for (const [size, suffix] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    // Only the largest unit that fits reads well: 8030.261M is no easier than the digits.
    if (value < size) continue;
    if (value >= size * 1000 && suffix !== 'T') break;
    const text = `${Number((value / size).toFixed(3))}${suffix}`;
    if (parseParameterCount(text) === value) return text;
  }
  return String(value);
}

/**
 * Colours picked for at least 4.5:1 on their backgrounds (WCAG AA). Tables
 * scroll inside their own box and long ids wrap anywhere, so nothing pushes
 * the page wider than a 320 px screen.
 */
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}
a{color:#0645ad}
a:visited{color:#5a2d91}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid #d0d0d0}
header .brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:#1a1a1a}
header nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
footer{margin-top:2rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid #d0d0d0;color:#4a4a4a;font-size:.9rem}
h1{font-size:1.6rem;line-height:1.25;margin:1.25rem 0 .5rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
.muted{color:#4a4a4a}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
form.filters{border:1px solid #d0d0d0;border-radius:.5rem;padding:.75rem;margin:1rem 0}
form.filters fieldset{border:0;margin:0;padding:0;min-width:0}
form.filters legend{font-weight:600;padding:0}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,11rem),1fr));gap:.5rem .75rem;margin:.5rem 0}
.fields label{display:block;font-size:.9rem;font-weight:600}
.fields input,.fields select{width:100%;font:inherit;padding:.3rem .4rem;border:1px solid #6b6b6b;border-radius:.25rem;background:#fff;color:#1a1a1a}
.fields .check{display:flex;gap:.4rem;align-items:center;align-self:end}
.fields .check input{width:auto}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
button{font:inherit;padding:.35rem 1rem;border:1px solid #0645ad;border-radius:.25rem;background:#0645ad;color:#fff;cursor:pointer}
.table-wrap{max-width:100%;overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;width:100%;overflow-wrap:break-word}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.35rem .5rem;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}
thead th{background:#f3f3f3;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.up{color:#116329}
.down{color:#a4161a}
.flag{display:inline-block;font-size:.8rem;padding:0 .35rem;margin:0 .2rem .2rem 0;border:1px solid #6b6b6b;border-radius:.75rem;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:minmax(0,10rem) minmax(0,1fr);gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.inline{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
img.chart{display:block;max-width:100%;height:auto;margin:.5rem 0}
svg.ranks{display:block;max-width:100%;height:auto}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;border:1px solid #d0d0d0;border-radius:.25rem;padding:.5rem .75rem;font-size:.85rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
`;

function layout(page: { title: string; body: string; head?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(page.title)}</title>
<link rel="icon" href="data:,">
${page.head ?? ''}<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<a class="brand" href="/">modelpulse</a>
<nav aria-label="Site"><ul><li><a href="/">Trending</a></li><li><a href="/docs">API</a></li></ul></nav>
</header>
<main id="main">
${page.body}
</main>
<footer>
<p>modelpulse: an open registry of open ML models and their downloads. Every figure here is also in the <a href="/docs">REST API</a>.</p>
</footer>
</body>
</html>
`;
}

function changeCell(entry: TrendingEntryDto): string {
  const { rank, previousRank } = entry;
  if (previousRank === null) return '<span class="up">new<span class="sr-only"> in the ranking</span></span>';
  if (previousRank === rank) return '<span aria-hidden="true">–</span><span class="sr-only">no change</span>';
  const up = previousRank > rank;
  const steps = Math.abs(previousRank - rank);
  return (
    `<span class="${up ? 'up' : 'down'}"><span aria-hidden="true">${up ? '▲' : '▼'}</span>` +
    `<span class="sr-only">${up ? 'up' : 'down'} </span>${steps}` +
    `<span class="sr-only"> from ${previousRank}</span></span>`
  );
}

function flagList(flags: readonly string[]): string {
  return flags.map((flag) => `<span class="flag">${html(FLAG_LABELS[flag] ?? flag)}</span>`).join('');
}

function trendingRow(entry: TrendingEntryDto): string {
  const m = entry.model;
  const facts = [
    m.license === null ? null : html(m.license),
    m.parameters === null ? null : `${shortNumber(m.parameters)} params`,
  ].filter((part) => part !== null);
  return `<tr>
<td class="num">${entry.rank}</td>
<td>${changeCell(entry)}</td>
<th scope="row">${modelLink(m.id)}${facts.length ? `<br><span class="muted">${facts.join(' · ')}</span>` : ''}</th>
<td class="num">${score(entry.score)}</td>
<td class="num">${score(entry.components.volume)}</td>
<td class="num">${score(entry.components.growth)}</td>
<td class="num">${score(entry.components.engagement)}</td>
<td>${flagList(entry.flags)}</td>
</tr>`;
}

function textField(name: string, label: string, value: string, hint?: string): string {
  const hintId = `${name}-hint`;
  return `<div><label for="${name}">${label}</label><input id="${name}" name="${name}" type="text" value="${attr(value)}"${
    hint ? ` aria-describedby="${hintId}"` : ''
  }>${hint ? `<span id="${hintId}" class="muted">${hint}</span>` : ''}</div>`;
}

function filterForm(data: HomePageData): string {
  const f = data.filters;
  const chosen = new Set((f.licenses ?? []).map((l) => l.toLowerCase()));
  const licenseOptions = data.licenses
    .map(
      (l) =>
        `<option value="${attr(l.id)}"${chosen.has(l.id.toLowerCase()) ? ' selected' : ''}>${html(l.name)}</option>`,
    )
    .join('');
  const limitOptions = LIMITS.map((n) => `<option${n === f.limit ? ' selected' : ''}>${n}</option>`).join('');
  return `<form class="filters" method="get" action="/">
<fieldset>
<legend>Filter the ranking</legend>
<div class="fields">
<div><label for="license">Licence</label><select id="license" name="license"><option value="">Any licence</option>${licenseOptions}</select></div>
${textField('task', 'Task', f.task ?? '', 'e.g. text-generation')}
${textField('organization', 'Organization', (f.organizations ?? []).join(','), 'e.g. deepseek-ai')}
${textField('minParams', 'Min parameters', f.minParams === undefined ? '' : parameterInput(f.minParams), 'e.g. 7B')}
${textField('maxParams', 'Max parameters', f.maxParams === undefined ? '' : parameterInput(f.maxParams), 'e.g. 70B')}
<div><label for="asOf">As of</label><input id="asOf" name="asOf" type="date" value="${attr(f.asOf ?? '')}"></div>
<div><label for="limit">Show</label><select id="limit" name="limit">${limitOptions}</select></div>
<div class="check"><input id="collapse" name="collapse" type="checkbox" value="family"${
    f.collapseFamilies ? ' checked' : ''
  }><label for="collapse">One per family</label></div>
</div>
<div class="actions"><button type="submit">Show ranking</button><a href="/">Clear filters</a></div>
</fieldset>
</form>`;
}

/** The list the API gives for the same filters, so every figure on the page can be fetched as JSON. */
function apiQuery(f: HomeFilters, asOf: string): string {
  const params = new URLSearchParams({ asOf, limit: String(f.limit) });
  if (f.licenses?.length) params.set('license', f.licenses.join(','));
  if (f.task) params.set('task', f.task);
  if (f.organizations?.length) params.set('organization', f.organizations.join(','));
  if (f.minParams !== undefined) params.set('minParams', String(f.minParams));
  if (f.maxParams !== undefined) params.set('maxParams', String(f.maxParams));
  if (f.collapseFamilies) params.set('collapse', 'family');
  return `/v1/rankings/trending?${params.toString()}`;
}

export function renderHomePage(data: HomePageData): string {
  const { ranking } = data;
  const rows = ranking.data.map(trendingRow).join('\n');
  const weight = (name: string) => html(String(ranking.algorithm.params[name] ?? '?'));
  const table = ranking.data.length
    ? `<div class="table-wrap" role="region" aria-labelledby="ranking-caption" tabindex="0">
<table>
<caption id="ranking-caption">Trending models as of ${html(ranking.asOf)}</caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Change</th><th scope="col">Model</th><th scope="col" class="num">Score</th><th scope="col" class="num">Volume</th><th scope="col" class="num">Growth</th><th scope="col" class="num">Engagement</th><th scope="col">Flags</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`
    : `<p><strong>No model is ranked for these filters on ${html(ranking.asOf)}.</strong> Try fewer filters or another day.</p>`;
  const body = `<h1>Trending open models</h1>
<p>What is taking off, as of <strong>${html(ranking.asOf)}</strong> (UTC), by the published score
<code>${html(ranking.algorithm.version)}</code>: score = ${weight('volumeWeight')} × volume + ${weight('growthWeight')} × growth + ${weight('engagementWeight')} × engagement.
Change is against the day before. <a href="${attr(apiQuery(data.filters, ranking.asOf))}">This ranking as JSON</a>.</p>
${filterForm(data)}
${table}`;
  // The trending widget is this page's oEmbed card, filters kept.
  const query = apiQuery(data.filters, ranking.asOf).split('?')[1] ?? '';
  const page = `${data.publicUrl}/${query ? `?${query}` : ''}`;
  const oembed = `${data.publicUrl}/oembed?url=${encodeURIComponent(page)}&format=json`;
  const head = `<link rel="alternate" type="application/json+oembed" href="${attr(oembed)}" title="Trending open models">\n`;
  return layout({ title: `Trending open models as of ${ranking.asOf} · modelpulse`, body, head });
}

function countText(value: number | null): string {
  return value === null
    ? '<span class="muted">unknown</span>'
    : `${shortNumber(value)} <span class="muted">(${exact(value)})</span>`;
}

function dateText(value: string | null): string {
  return value === null
    ? '<span class="muted">unknown</span>'
    : `<time datetime="${attr(value)}">${html(value)}</time>`;
}

function listOrNone(items: string[], none: string): string {
  return items.length
    ? `<ul class="inline">${items.map((item) => `<li>${item}</li>`).join('')}</ul>`
    : `<span class="muted">${none}</span>`;
}

/** Only http(s) links become anchors: a `javascript:` URL in the catalogue must never be clickable. */
function externalLink(url: string | null, text: string): string | null {
  if (url === null || !/^https?:\/\//i.test(url)) return null;
  return `<a href="${attr(url)}">${html(text)}</a>`;
}

/** The rank of the latest complete day, the same day the home page ranks by default. */
function trendingFact(latest: RankHistoryDto['points'][number] | undefined): string {
  if (latest?.rank === null || latest?.rank === undefined) return '<span class="muted">not ranked</span>';
  return `#${latest.rank} on ${html(latest.date)} <span class="muted">(score ${score(latest.score ?? 0)})</span>`;
}

function factsSection(model: ModelDetailDto, latest: RankHistoryDto['points'][number] | undefined): string {
  const license = model.license
    ? (externalLink(model.license.url, model.license.name) ?? html(model.license.name)) +
      ` <span class="muted">(${html(model.license.spdx ?? model.license.id)})</span>`
    : '<span class="muted">unknown</span>';
  const links = [
    externalLink(model.links.huggingface, 'Hugging Face'),
    externalLink(model.links.github, 'GitHub'),
    externalLink(model.links.homepage, 'Homepage'),
  ].filter((link): link is string => link !== null);
  return `<section aria-labelledby="facts">
<h2 id="facts">Facts</h2>
<dl class="facts">
<dt>Organization</dt><dd>${html(model.organization)}</dd>
<dt>Licence</dt><dd>${license}</dd>
<dt>Parameters</dt><dd>${countText(model.parameters)}</dd>
<dt>Active parameters</dt><dd>${model.activeParameters === null ? '<span class="muted">all (dense) or unknown</span>' : countText(model.activeParameters)}</dd>
<dt>Released</dt><dd>${dateText(model.releaseDate)}</dd>
<dt>Tasks</dt><dd>${listOrNone(model.tasks.map(html), 'none given')}</dd>
<dt>Tags</dt><dd>${listOrNone(model.tags.map(html), 'none')}</dd>
<dt>Links</dt><dd>${listOrNone(links, 'none')}</dd>
<dt>Trending</dt><dd>${trendingFact(latest)}</dd>
</dl>
</section>`;
}

function downloadsSection(model: ModelDetailDto): string {
  const s = model.stats;
  const chart = `${apiModelPath(model.id)}/chart.svg?metric=downloads&days=90`;
  return `<section aria-labelledby="downloads">
<h2 id="downloads">Downloads</h2>
<dl class="facts">
<dt>Last 7 days</dt><dd>${countText(s.downloads7d)}</dd>
<dt>Last 30 days</dt><dd>${countText(s.downloads30d)}</dd>
<dt>All time</dt><dd>${countText(s.downloadsAllTime)}</dd>
<dt>Likes</dt><dd>${countText(s.likes)}</dd>
<dt>GitHub stars</dt><dd>${countText(s.stars)}</dd>
</dl>
<img class="chart" src="${attr(chart)}" alt="Daily downloads of ${attr(model.id)} over the last 90 days">
<p><a href="${attr(`${apiModelPath(model.id)}/stats?format=csv`)}">Daily history as CSV</a></p>
</section>`;
}

function papersSection(model: ModelDetailDto): string {
  const items = model.papers.map(
    (p) =>
      `<li>${externalLink(p.url, p.title ?? `arXiv:${p.arxivId}`) ?? html(p.title ?? p.arxivId)} <span class="muted">(arXiv:${html(p.arxivId)})</span></li>`,
  );
  return `<section aria-labelledby="papers">
<h2 id="papers">Papers</h2>
${items.length ? `<ul>${items.join('')}</ul>` : '<p class="muted">No paper is linked to this model.</p>'}
</section>`;
}

function lineageTable(id: string, caption: string, nodes: LineageNodeDto[], direction: 'up' | 'down'): string {
  if (!nodes.length)
    return `<p class="muted">${direction === 'up' ? 'Not made from a model in the catalogue.' : 'No model in the catalogue is made from it.'}</p>`;
  const rows = nodes
    .map(
      (n) =>
        `<tr><th scope="row">${modelLink(n.id)}</th><td>${html(RELATION_LABELS[n.relation] ?? n.relation)}</td><td class="num">${n.depth}</td><td>${
          n.depth === 1 ? '<span class="muted">direct</span>' : modelLink(n.via)
        }</td></tr>`,
    )
    .join('');
  return `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table>
<caption id="${id}">${caption}</caption>
<thead><tr><th scope="col">Model</th><th scope="col">${direction === 'up' ? 'How this one was made' : 'How it was made'}</th><th scope="col" class="num">Steps</th><th scope="col">Via</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function lineageSection(lineage: LineageDto): string {
  const { downloads30d } = lineage;
  const familySize = lineage.family.length;
  return `<section aria-labelledby="lineage">
<h2 id="lineage">Lineage</h2>
<p>Downloads over 30 days: this model ${downloads30d.model === null ? 'unknown' : shortNumber(downloads30d.model)};
its family (${familySize} ${familySize === 1 ? 'model' : 'models'}: fine-tunes, quantizations, adapters and merges)
${downloads30d.family === null ? 'unknown' : shortNumber(downloads30d.family)}.</p>
${lineageTable('ancestors', 'Made from', lineage.ancestors, 'up')}
${lineageTable('descendants', 'Made from it', lineage.descendants, 'down')}
</section>`;
}

/** Rank over the days as a small line: rank 1 at the top, unranked days as gaps. */
export function rankSparkline(points: RankHistoryDto['points'], label: string): string {
  const width = 300;
  const height = 80;
  const pad = 6;
  const ranks = points.map((p) => p.rank).filter((r): r is number => r !== null);
  if (!ranks.length) return '';
  const worst = Math.max(...ranks, 2);
  const x = (i: number) => pad + (points.length === 1 ? 0 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (rank: number) => pad + ((rank - 1) * (height - 2 * pad)) / (worst - 1);
  const runs: string[] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.rank === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${x(i).toFixed(1)},${y(p.rank).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  const lines = runs
    .map((r) =>
      r.includes(' ')
        ? `<polyline points="${r}" fill="none" stroke="#0645ad" stroke-width="2"/>`
        : `<circle cx="${r.split(',')[0]}" cy="${r.split(',')[1]}" r="2.5" fill="#0645ad"/>`,
    )
    .join('');
  return `<svg class="ranks" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${attr(label)}"><rect x="0" y="0" width="${width}" height="${height}" fill="#f6f6f6"/>${lines}</svg>`;
}

function historySection(history: RankHistoryDto): string {
  const ranked = history.points.filter((p) => p.rank !== null);
  const first = history.points[0]?.date ?? '';
  const last = history.points.at(-1)?.date ?? '';
  if (!ranked.length) {
    return `<section aria-labelledby="rank-history">
<h2 id="rank-history">Rank history</h2>
<p class="muted">Not ranked on any day from ${html(first)} to ${html(last)}.</p>
</section>`;
  }
  const best = ranked.reduce((a, b) => (b.rank! < a.rank! ? b : a));
  // Days before the first ranked one say nothing a sentence cannot.
  const shown = history.points.slice(history.points.indexOf(ranked[0]));
  const rows = [...shown]
    .reverse()
    .map(
      (p) =>
        `<tr><th scope="row"><time datetime="${attr(p.date)}">${html(p.date)}</time></th><td class="num">${
          p.rank === null ? '<span class="muted">unranked</span>' : p.rank
        }</td><td class="num">${p.score === null ? '' : score(p.score)}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="rank-history">
<h2 id="rank-history">Rank history</h2>
<p>Trending rank from ${html(first)} to ${html(last)}: ranked on ${ranked.length} of ${history.points.length} days,
best #${best.rank} on ${html(best.date)}.</p>
${rankSparkline(history.points, `Trending rank each day from ${first} to ${last}; best ${best.rank}`)}
<div class="table-wrap" role="region" aria-labelledby="history-caption" tabindex="0"><table>
<caption id="history-caption">Rank each day since ${html(shown[0].date)}, newest first</caption>
<thead><tr><th scope="col">Day</th><th scope="col" class="num">Rank</th><th scope="col" class="num">Score</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</section>`;
}

/** The embed snippets of a model, with absolute URLs: they are pasted into other sites. */
export function embedSnippets(publicUrl: string, id: string) {
  const page = `${publicUrl}${modelPath(id)}`;
  const badge = `${publicUrl}${badgePath(id)}`;
  return {
    markdownBadge: `[![downloads](${badge})](${page})`,
    htmlBadge: `<a href="${page}"><img src="${badge}" alt="downloads of ${id}"></a>`,
    modelIframe: `<iframe src="${publicUrl}${embedPath(id)}" title="${id} on modelpulse" width="400" height="240" style="border:0" loading="lazy"></iframe>`,
    trendingIframe: `<iframe src="${publicUrl}/embed/trending?limit=10" title="Trending open models on modelpulse" width="400" height="520" style="border:0" loading="lazy"></iframe>`,
    oembed: `${publicUrl}/oembed?url=${encodeURIComponent(page)}&format=json`,
  };
}

function snippet(id: string, title: string, text: string, note = ''): string {
  return `<h3 id="${id}">${title}</h3>${note}<pre aria-labelledby="${id}"><code>${html(text)}</code></pre>`;
}

function embedSection(publicUrl: string, model: ModelDetailDto): string {
  const s = embedSnippets(publicUrl, model.id);
  return `<section aria-labelledby="embed">
<h2 id="embed">Embed this model</h2>
<p>Copy a snippet into a README, a blog post or a web page. Badges and widgets are cached for a few minutes and work from any site.</p>
<p><img src="${attr(badgePath(model.id))}" alt="Downloads badge of ${attr(model.id)}"></p>
${snippet('snippet-markdown', 'Markdown badge', s.markdownBadge)}
${snippet('snippet-html-badge', 'HTML badge', s.htmlBadge)}
${snippet('snippet-card', 'Model card (iframe)', s.modelIframe)}
${snippet('snippet-trending', 'Trending widget (iframe)', s.trendingIframe)}
${snippet('snippet-oembed', 'oEmbed', s.oembed, '<p>Sites that speak oEmbed find this page’s card by themselves; the endpoint for this model is:</p>')}
</section>`;
}

export function renderModelPage(data: ModelPageData): string {
  const { model, publicUrl } = data;
  const page = `${publicUrl}${modelPath(model.id)}`;
  const oembed = `${publicUrl}/oembed?url=${encodeURIComponent(page)}&format=json`;
  const head =
    `<link rel="canonical" href="${attr(page)}">\n` +
    `<link rel="alternate" type="application/json+oembed" href="${attr(oembed)}" title="${attr(model.id)}">\n` +
    (model.description ? `<meta name="description" content="${attr(model.description)}">\n` : '');
  const body = `<h1>${html(model.id)}</h1>
${model.description ? `<p>${html(model.description)}</p>` : ''}
<p class="muted">As JSON: <a href="${attr(apiModelPath(model.id))}">the model</a>, <a href="${attr(
    `${apiModelPath(model.id)}/lineage`,
  )}">its lineage</a>, <a href="${attr(`${apiModelPath(model.id)}/rankings`)}">its rank history</a>.</p>
${factsSection(model, data.history.points.at(-1))}
${downloadsSection(model)}
${papersSection(model)}
${lineageSection(data.lineage)}
${historySection(data.history)}
${embedSection(publicUrl, model)}`;
  return layout({ title: `${model.id} · modelpulse`, body, head });
}

const ERROR_TITLES: Record<number, string> = {
  400: 'That request did not work',
  404: 'Not found',
  429: 'Too many requests',
};

export function renderErrorPage(data: ErrorPageData): string {
  const title =
    ERROR_TITLES[data.status] ?? (data.status >= 500 ? 'Something went wrong' : 'That request did not work');
  const errors = data.errors?.length
    ? `<ul>${data.errors.map((e) => `<li><strong>${html(e.field)}</strong>: ${html(e.message)}</li>`).join('')}</ul>`
    : '';
  const reference = data.requestId ? `<p class="muted">Request id: <code>${html(data.requestId)}</code></p>` : '';
  const body = `<h1>${title}</h1>
<p>${html(data.detail)}</p>
${errors}${reference}
<p><a href="/">See what is trending</a>, or look a model up by its id at <code>/models/{organization}/{name}</code>.</p>`;
  return layout({ title: `${title} · modelpulse`, body });
}
