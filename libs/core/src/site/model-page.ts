import type { LineageDto, LineageNodeDto, ModelDetailDto } from '../catalog';
import type { RankHistoryDto } from '../rankings';
import { modelPageUrl, shortNumber, snippet, TRENDING_WIDGET_DEFAULT_LIMIT, type EmptyExplanation } from '../embeds';
import { chartPicture } from './chart-picture';
import { attr, comparePath, html, layout, modelLink, modelPath, score } from './layout';

export interface ModelPageData {
  publicUrl: string;
  model: ModelDetailDto;
  lineage: LineageDto;
  history: RankHistoryDto;
  /** Why the model has no figures, when it has none. */
  empty: EmptyExplanation | null;
  /** The figures of a past day the page was asked for (`?asOf=`); null: the page is as of now. */
  past: PastFigures | null;
}

/** A model's figures as they stood at the end of a past day. */
export interface PastFigures {
  day: string;
  downloads7d: number | null;
  downloads30d: number | null;
  likes: number | null;
}

/** What a page of demo figures says above them. */
export const DEMO_NOTE =
  '<strong>Demo data</strong>: these figures were made up by <code>npm run cli -- demo</code>, not counted; <code>npm run cli -- demo --remove</code> takes them away.';

const RELATION_LABELS: Record<string, string> = {
  finetune: 'fine-tune',
  quantized: 'quantization',
  adapter: 'adapter',
  merge: 'merge',
  distillation: 'distillation',
};

const apiModelPath = (id: string) => `/v1${modelPath(id)}`;
const badgePath = (id: string) => `/badges${modelPath(id).slice('/models'.length)}/downloads.svg`;

const exact = (value: number) => value.toLocaleString('en-US');

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

/** What a hub's model card shows first, in one line: task, size, licence, downloads last month, likes. */
function glance(model: ModelDetailDto, past: PastFigures | null): string {
  const item = (label: string, value: string) =>
    `<li><span class="muted">${label}</span> <strong>${value}</strong></li>`;
  const short = (value: number | null) => (value === null ? 'unknown' : shortNumber(value));
  return `<ul class="glance" aria-label="At a glance">
${item('Task', model.tasks.length ? model.tasks.map(html).join(', ') : 'none given')}
${item('Size', model.parameters === null ? 'unknown' : `${shortNumber(model.parameters)} params`)}
${item('Licence', model.license ? html(model.license.name) : 'unknown')}
${item('Downloads, 30 days', short(past ? past.downloads30d : model.stats.downloads30d))}
${item('Likes', short(past ? past.likes : model.stats.likes))}
</ul>`;
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

function downloadsSection(model: ModelDetailDto, empty: EmptyExplanation | null, past: PastFigures | null): string {
  const s = model.stats;
  const recent = past
    ? `<dt>7 days to ${html(past.day)}</dt><dd>${countText(past.downloads7d)}</dd>
<dt>30 days to ${html(past.day)}</dt><dd>${countText(past.downloads30d)}</dd>
<dt>All time, now</dt><dd>${countText(s.downloadsAllTime)}</dd>
<dt>Likes on ${html(past.day)}</dt><dd>${countText(past.likes)}</dd>`
    : `<dt>Last 7 days</dt><dd>${countText(s.downloads7d)}</dd>
<dt>Last 30 days</dt><dd>${countText(s.downloads30d)}</dd>
<dt>All time</dt><dd>${countText(s.downloadsAllTime)}</dd>
<dt>Likes</dt><dd>${countText(s.likes)}</dd>`;
  // A past day's page draws the 90 days up to it, as its figures are.
  const chart = `${apiModelPath(model.id)}/chart.svg?metric=downloads&days=90${past ? `&to=${past.day}` : ''}`;
  return `<section aria-labelledby="downloads">
<h2 id="downloads">Downloads</h2>
${s.demo ? `<p class="demo">${DEMO_NOTE}</p>` : ''}${(empty?.lines ?? []).map((line) => `<p>${html(line)}</p>`).join('\n')}
<dl class="facts">
${recent}
<dt>GitHub stars</dt><dd>${countText(s.stars)}</dd>
</dl>
${chartPicture(chart, `Daily downloads of ${model.id} over the ${past ? `90 days to ${past.day}` : 'last 90 days'}`)}
<p><a href="${attr(`${apiModelPath(model.id)}/stats?format=csv`)}">Daily history as CSV</a> · <a href="${attr(comparePath([model.id]))}">Compare with other models</a></p>
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
${chartPicture(
  `${apiModelPath(history.model)}/chart.svg?metric=rank&days=${history.points.length}&to=${last}`,
  `Trending rank of ${history.model} each day from ${first} to ${last}; best ${best.rank}, on ${best.date}`,
)}
<div class="table-wrap" role="region" aria-labelledby="history-caption" tabindex="0"><table>
<caption id="history-caption">Rank each day since ${html(shown[0].date)}, newest first</caption>
<thead><tr><th scope="col">Day</th><th scope="col" class="num">Rank</th><th scope="col" class="num">Score</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</section>`;
}

/** The embed snippets of a model, with absolute URLs: they are pasted into other sites. */
export function embedSnippets(publicUrl: string, id: string) {
  return {
    markdownBadge: snippet(publicUrl, { kind: 'markdown-badge', id }),
    htmlBadge: snippet(publicUrl, { kind: 'html-badge', id }),
    chart: snippet(publicUrl, { kind: 'chart', ids: [id], query: new URLSearchParams({ days: '90' }) }),
    modelIframe: snippet(publicUrl, { kind: 'iframe', widget: { kind: 'model', id } }),
    trendingIframe: snippet(publicUrl, {
      kind: 'iframe',
      widget: { kind: 'trending', filters: new URLSearchParams({ limit: String(TRENDING_WIDGET_DEFAULT_LIMIT) }) },
    }),
    oembed: snippet(publicUrl, { kind: 'oembed-endpoint', pageUrl: modelPageUrl(publicUrl, id) }),
  };
}

function snippetBlock(id: string, title: string, text: string, note = ''): string {
  return `<h3 id="${id}">${title}</h3>${note}<pre aria-labelledby="${id}"><code>${html(text)}</code></pre>`;
}

function embedSection(publicUrl: string, model: ModelDetailDto): string {
  const s = embedSnippets(publicUrl, model.id);
  return `<section aria-labelledby="embed">
<h2 id="embed">Embed this model</h2>
<p>Copy a snippet into a README, a blog post or a web page. Badges, charts and widgets are cached for a few minutes and work from any site.</p>
<p><img src="${attr(badgePath(model.id))}" alt="Downloads badge of ${attr(model.id)}"></p>
${snippetBlock('snippet-markdown', 'Markdown badge', s.markdownBadge)}
${snippetBlock('snippet-html-badge', 'HTML badge', s.htmlBadge)}
${snippetBlock('snippet-chart', 'Downloads chart (image)', s.chart)}
${snippetBlock('snippet-card', 'Model card (iframe)', s.modelIframe)}
${snippetBlock('snippet-trending', 'Trending widget (iframe)', s.trendingIframe)}
${snippetBlock('snippet-oembed', 'oEmbed', s.oembed, '<p>Sites that speak oEmbed find this page’s card by themselves; the endpoint for this model is:</p>')}
</section>`;
}

export function renderModelPage(data: ModelPageData): string {
  const { model, publicUrl } = data;
  const page = `${publicUrl}${modelPath(model.id)}`;
  const oembed = snippet(publicUrl, { kind: 'oembed-endpoint', pageUrl: page });
  const head =
    `<link rel="canonical" href="${attr(page)}">\n` +
    `<link rel="alternate" type="application/json+oembed" href="${attr(oembed)}" title="${attr(model.id)}">\n` +
    (model.description ? `<meta name="description" content="${attr(model.description)}">\n` : '');
  const body = `<h1>${html(model.id)}</h1>
${
  data.past
    ? `<p class="asof">As of <strong>${html(data.past.day)}</strong> (UTC): downloads, likes and ranks as they stood at its end. <a href="${attr(modelPath(model.id))}">This model now</a>.</p>\n`
    : ''
}${glance(model, data.past)}
${model.description ? `<p>${html(model.description)}</p>` : ''}
<p class="muted">As JSON: <a href="${attr(apiModelPath(model.id))}">the model</a>, <a href="${attr(
    `${apiModelPath(model.id)}/lineage`,
  )}">its lineage</a>, <a href="${attr(`${apiModelPath(model.id)}/rankings`)}">its rank history</a>.</p>
${factsSection(model, data.history.points.at(-1))}
${downloadsSection(model, data.empty, data.past)}
${papersSection(model)}
${lineageSection(data.lineage)}
${historySection(data.history)}
${embedSection(publicUrl, model)}`;
  return layout({ title: `${model.id} · modelpulse`, body, head });
}
