import type { ModelDto } from '../catalog';
import { MAX_COMPARED_MODELS, SERIES_STYLES, shortNumber, snippet } from '../embeds';
import { chartPicture } from './chart-picture';
import { attr, comparePath, html, layout, modelLink, modelList } from './layout';
import { DEMO_NOTE } from './model-page';

/** The models compared, in the order asked; none when the form is still empty. */
export interface ComparePageData {
  models: ModelDto[];
  /** PUBLIC_URL: the embed snippet is pasted into other sites. */
  publicUrl: string;
}

/** How many days the compare chart draws: the model page's window. */
export const COMPARE_DAYS = 90;

/** Two models of the seed catalogue: the form's placeholders and the empty page's example. */
const EXAMPLE = ['deepseek-ai/DeepSeek-R1', 'Qwen/QwQ-32B'];

const muted = (text: string) => `<span class="muted">${text}</span>`;
/** Short, and exact under it: five columns side by side leave no room for both on one line. */
const count = (value: number | null) =>
  value === null ? muted('unknown') : `${shortNumber(value)}<br>${muted(value.toLocaleString('en-US'))}`;

const chartPath = (ids: readonly string[]) =>
  `/v1/chart.svg?models=${modelList(ids)}&metric=downloads&days=${COMPARE_DAYS}`;

function listText(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

function form(ids: readonly string[]): string {
  const fields = Array.from({ length: MAX_COMPARED_MODELS }, (_, i) => {
    const value = ids[i] ?? '';
    return `<div><label for="model-${i + 1}">Model ${i + 1}</label><input id="model-${i + 1}" name="models" type="text" value="${attr(
      value,
    )}" placeholder="${i < EXAMPLE.length ? attr(EXAMPLE[i]) : 'organization/name'}" aria-describedby="compare-hint" autocomplete="off" spellcheck="false"></div>`;
  });
  return `<form class="filters" method="get" action="/compare">
<fieldset>
<legend>Models to compare</legend>
<p class="muted" id="compare-hint">Up to ${MAX_COMPARED_MODELS} model ids as organization/name, in any letter case; blank fields are left out.</p>
<div class="fields">${fields.join('')}</div>
</fieldset>
<div class="actions"><button type="submit">Compare</button>${ids.length ? '<a href="/compare">Start again</a>' : ''}</div>
</form>`;
}

/** The chart's stroke for the model in column `i`, so a reader can tell which line is whose. */
function swatch(i: number): string {
  const { colour, dash } = SERIES_STYLES[i];
  return `<svg width="28" height="10" aria-hidden="true"><line x1="2" x2="26" y1="5" y2="5" stroke="${colour}" stroke-width="2"${
    dash === null ? '' : ` stroke-dasharray="${dash}"`
  }/></svg>`;
}

function factsTable(models: ModelDto[]): string {
  const row = (label: string, cell: (model: ModelDto) => string, numeric = false) =>
    `<tr><th scope="row">${label}</th>${models
      .map((model) => `<td${numeric ? ' class="num"' : ''}>${cell(model)}</td>`)
      .join('')}</tr>`;
  return `<div class="table-wrap" role="region" aria-labelledby="compare-caption" tabindex="0"><table class="compare">
<caption id="compare-caption">The models side by side</caption>
<thead><tr><td></td>${models.map((model, i) => `<th scope="col">${swatch(i)}${modelLink(model.id)}</th>`).join('')}</tr></thead>
<tbody>
${row('Downloads, last 7 days', (m) => count(m.stats.downloads7d), true)}
${row('Downloads, last 30 days', (m) => count(m.stats.downloads30d), true)}
${row('Downloads, all time', (m) => count(m.stats.downloadsAllTime), true)}
${row('Likes', (m) => count(m.stats.likes), true)}
${row('Licence', (m) => (m.license === null ? muted('unknown') : html(m.license.name)))}
${row('Parameters', (m) => count(m.parameters), true)}
${row('Released', (m) => (m.releaseDate === null ? muted('unknown') : `<time datetime="${attr(m.releaseDate)}">${html(m.releaseDate)}</time>`))}
</tbody>
</table></div>`;
}

export function renderComparePage(data: ComparePageData): string {
  const ids = data.models.map((model) => model.id);
  if (ids.length === 0) {
    const body = `<h1>Compare models</h1>
<p>Put up to ${MAX_COMPARED_MODELS} models side by side: their downloads a day over the last ${COMPARE_DAYS} days on one chart,
a line each, and their figures and facts in one table. Give each model by its id, as on its page
(<a href="/models">the catalogue</a> finds them); for example <a href="${attr(comparePath(EXAMPLE))}">${html(listText(EXAMPLE))}</a>.</p>
${form([])}`;
    return layout({ title: 'Compare models · modelpulse', body });
  }
  const demo = data.models.some((model) => model.stats.demo);
  const body = `<h1>Compare ${html(listText(ids))}</h1>
${form(ids)}
<section aria-labelledby="compare-downloads">
<h2 id="compare-downloads">Downloads a day</h2>
${demo ? `<p class="demo">${DEMO_NOTE}</p>` : ''}
<p class="muted">A line each, in the order given; a gap is a day with no figure, not a day with no downloads.</p>
${chartPicture(
  chartPath(ids),
  `Daily downloads of ${listText(ids)} over the last ${COMPARE_DAYS} days, a line each; the table below gives each model's totals`,
)}
</section>
<section aria-labelledby="compare-facts">
<h2 id="compare-facts">Figures and facts</h2>
${factsTable(data.models)}
</section>
<section aria-labelledby="compare-embed">
<h2 id="compare-embed">Embed this chart</h2>
<p>Copy it into a README, a blog post or a web page; it follows the figures as they come in.</p>
<pre aria-labelledby="compare-embed"><code>${html(
    snippet(data.publicUrl, {
      kind: 'chart',
      ids,
      query: new URLSearchParams({ metric: 'downloads', days: String(COMPARE_DAYS) }),
    }),
  )}</code></pre>
</section>`;
  return layout({ title: `Compare ${listText(ids)} · modelpulse`, body });
}
