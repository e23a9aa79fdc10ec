import type { LicenseSummaryDto, ModelDto, ModelPageDto, ModelSort } from '../catalog';
import { shortNumber } from '../embeds';
import { parameterInput } from './home-page';
import { licenseSelect, textField } from './form-fields';
import { DEMO_NOTE } from './model-page';
import { attr, html, layout, modelLink } from './layout';

/** What the catalogue page's form shows, as the request gave it (the API's own parameters). */
export interface ModelsForm {
  q?: string;
  licenses?: string[];
  task?: string;
  organizations?: string[];
  minParams?: number;
  maxParams?: number;
  sort?: ModelSort;
  limit: number;
}

export interface ModelsPageData {
  page: ModelPageDto;
  form: ModelsForm;
  licenses: LicenseSummaryDto[];
  /** Whether this page continues a listing (a cursor was given). */
  continued: boolean;
}

/** The sorts the form offers, in the words of the page; relevance only when there are words to match. */
const SORT_LABELS: Partial<Record<ModelSort, string>> = {
  relevance: 'Best match',
  trending: 'Trending',
  downloads: 'Downloads (30 days)',
  downloads7d: 'Downloads (7 days)',
  downloadsAllTime: 'Downloads (all time)',
  likes: 'Likes',
  releaseDate: 'Newest',
  parameters: 'Parameters',
  name: 'Name',
};

const count = (value: number | null) => (value === null ? '<span class="muted">–</span>' : shortNumber(value));

function modelRow(model: ModelDto): string {
  const facts = [model.tasks[0] ?? null, model.releaseDate === null ? null : `released ${model.releaseDate}`]
    .filter((part) => part !== null)
    .map((part) => html(part));
  return `<tr>
<th scope="row">${modelLink(model.id)}${facts.length ? `<br><span class="muted">${facts.join(' · ')}</span>` : ''}</th>
<td>${model.license === null ? '<span class="muted">–</span>' : html(model.license.id)}</td>
<td class="num">${count(model.parameters)}</td>
<td class="num">${count(model.stats.downloads30d)}</td>
<td class="num">${count(model.stats.likes)}</td>
</tr>`;
}

function filterForm(data: ModelsPageData): string {
  const f = data.form;
  const sorts = (Object.keys(SORT_LABELS) as ModelSort[]).filter((sort) => sort !== 'relevance' || f.q);
  const current = f.sort ?? (f.q ? 'relevance' : 'trending');
  const sortOptions = sorts
    .map((sort) => `<option value="${sort}"${sort === current ? ' selected' : ''}>${SORT_LABELS[sort]}</option>`)
    .join('');
  return `<form class="filters" method="get" action="/models">
<fieldset>
<legend>Find models</legend>
<div class="fields">
${textField('q', 'Words', f.q ?? '', 'every word, in any order', 'search')}
${licenseSelect(data.licenses, f.licenses)}
${textField('task', 'Task', f.task ?? '', 'e.g. text-generation')}
${textField('organization', 'Organization', (f.organizations ?? []).join(','), 'e.g. deepseek-ai')}
${textField('minParams', 'Min parameters', f.minParams === undefined ? '' : parameterInput(f.minParams), 'e.g. 7B')}
${textField('maxParams', 'Max parameters', f.maxParams === undefined ? '' : parameterInput(f.maxParams), 'e.g. 70B')}
<div><label for="sort">Sort by</label><select id="sort" name="sort">${sortOptions}</select></div>
</div>
<div class="actions"><button type="submit">Show models</button><a href="/models">Clear filters</a></div>
</fieldset>
</form>`;
}

/** The form's parameters as a query string, for the next page's link and the JSON beside it. */
export function modelsQuery(f: ModelsForm, cursor?: string): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.licenses?.length) params.set('license', f.licenses.join(','));
  if (f.task) params.set('task', f.task);
  if (f.organizations?.length) params.set('organization', f.organizations.join(','));
  if (f.minParams !== undefined) params.set('minParams', String(f.minParams));
  if (f.maxParams !== undefined) params.set('maxParams', String(f.maxParams));
  if (f.sort) params.set('sort', f.sort);
  params.set('limit', String(f.limit));
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** The catalogue: every model, filtered, searched and sorted as the API's list is, a page at a time. */
export function renderModelsPage(data: ModelsPageData): string {
  const { page, form } = data;
  const rows = page.data.map(modelRow).join('\n');
  const caption = form.q ? `Models matching “${html(form.q)}”` : 'Models';
  const table = page.data.length
    ? `<div class="table-wrap" role="region" aria-labelledby="models-caption" tabindex="0">
<table>
<caption id="models-caption">${caption}${data.continued ? ', continued' : ''}</caption>
<thead><tr><th scope="col">Model</th><th scope="col">Licence</th><th scope="col" class="num">Parameters</th><th scope="col" class="num">Downloads (30 days)</th><th scope="col" class="num">Likes</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`
    : `<div class="empty"><p><strong>No model matches ${form.q ? 'these words and filters' : 'these filters'}.</strong></p>
<p>Try fewer words or filters, or <a href="/models">every model</a>.</p></div>`;
  const next = page.nextCursor
    ? `<p><a rel="next" href="${attr(`/models?${modelsQuery(form, page.nextCursor)}`)}">Next ${form.limit} models</a></p>`
    : '';
  const demo = page.data.some((model) => model.stats.demo) ? `<p class="demo">${DEMO_NOTE}</p>\n` : '';
  const body = `<h1>${form.q ? 'Search the models' : 'Every model'}</h1>
<p>The catalogue, filtered and sorted as <code>GET /v1/models</code> is: <a href="${attr(`/v1/models?${modelsQuery(form)}`)}">this page as JSON</a>.</p>
${demo}${filterForm(data)}
${table}
${next}`;
  return layout({ title: `${form.q ? `${form.q} · ` : ''}Models · modelpulse`, body });
}
