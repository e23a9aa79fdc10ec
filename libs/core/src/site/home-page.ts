import { type LicenseSummaryDto, parseParameterCount } from '../catalog';
import type { TrendingEntryDto, TrendingRankingDto } from '../rankings';
import { addDays } from '../days';
import { shortNumber, type EmptyExplanation } from '../embeds';
import { DEMO_NOTE } from './model-page';
import { attr, html, layout, modelLink, score } from './layout';
import { sparkline } from './sparkline';
import { licenseSelect, textField } from './form-fields';

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

/** A ranked model's downloads a day over the days ending with the ranking's day, and its likes then. */
export interface RowActivity {
  /** From the span's first day (or the model's first figure); null: unknown that day. */
  downloads: readonly { date: string; value: number | null }[];
  likes: number | null;
}

/** Days of downloads each row draws, ending with the ranking's day. */
export const SPARKLINE_DAYS = 30;

export interface HomePageData {
  publicUrl: string;
  ranking: TrendingRankingDto;
  /** By model id; a row without an entry shows its figures as unknown. */
  activity: ReadonlyMap<string, RowActivity>;
  filters: HomeFilters;
  licenses: LicenseSummaryDto[];
  /** Why the ranking is empty, when it is. */
  empty: EmptyExplanation | null;
}

const LIMITS = [10, 20, 50, 100] as const;

const FLAG_LABELS: Record<string, string> = {
  new: 'new',
  uncorroborated_surge: 'surge without engagement',
  imputed_days: 'imputed days',
  unknown_days: 'missing days',
  insufficient_history: 'short history',
};

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

/** Downloads over the `days` days ending with `asOf`: the known days summed; null when none of them is known. */
export function downloadsOver(activity: RowActivity | undefined, asOf: string, days: number): number | null {
  const since = addDays(asOf, -(days - 1));
  const known = (activity?.downloads ?? []).filter((d) => d.date >= since && d.date <= asOf && d.value !== null);
  return known.length ? known.reduce((sum, d) => sum + d.value!, 0) : null;
}

/** Short for reading, the exact figure kept for machines (and the tests) in `<data value>`. */
const figure = (value: number | null) =>
  value === null ? '<span class="muted">unknown</span>' : `<data value="${value}">${shortNumber(value)}</data>`;

function downloadsSparkline(id: string, activity: RowActivity | undefined): string {
  const days = activity?.downloads ?? [];
  const known = days.map((d) => d.value).filter((v): v is number => v !== null);
  if (!known.length) return '<span class="muted">no figures</span>';
  const most = Math.max(...known);
  return sparkline({
    values: days.map((d) => d.value),
    domain: [0, Math.max(1, most)],
    width: 96,
    height: 24,
    className: 'spark',
    label: `Downloads of ${id} a day from ${days[0].date} to ${days.at(-1)!.date}: at most ${shortNumber(most)}, ${shortNumber(known.at(-1)!)} on the last known day`,
  });
}

/** A row of the ranking; `linkAsOf`: the day its model link carries (a ranking of a day asked for). */
function trendingRow(
  entry: TrendingEntryDto,
  activity: RowActivity | undefined,
  asOf: string,
  linkAsOf: string | undefined,
): string {
  const m = entry.model;
  const facts = [
    m.license === null ? null : html(m.license),
    m.parameters === null ? null : `${shortNumber(m.parameters)} params`,
  ].filter((part) => part !== null);
  return `<tr>
<td class="num">${entry.rank}</td>
<td>${changeCell(entry)}</td>
<th scope="row">${modelLink(m.id, linkAsOf)}${facts.length ? `<br><span class="muted">${facts.join(' · ')}</span>` : ''}${
    entry.flags.length ? `<br>${flagList(entry.flags)}` : ''
  }</th>
<td class="num">${figure(downloadsOver(activity, asOf, 7))}</td>
<td class="num">${figure(activity?.likes ?? null)}</td>
<td>${downloadsSparkline(m.id, activity)}</td>
<td class="num">${score(entry.score)}</td>
<td class="num">${score(entry.components.volume)}</td>
<td class="num">${score(entry.components.growth)}</td>
<td class="num">${score(entry.components.engagement)}</td>
</tr>`;
}

function filterForm(data: HomePageData): string {
  const f = data.filters;
  const limitOptions = LIMITS.map((n) => `<option${n === f.limit ? ' selected' : ''}>${n}</option>`).join('');
  return `<form class="filters" method="get" action="/">
<fieldset>
<legend>Filter the ranking</legend>
<div class="fields">
${licenseSelect(data.licenses, f.licenses)}
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

/** Whether the form narrows the ranking (so an empty answer may be the filters' doing). */
export function hasFilters(f: HomeFilters): boolean {
  return (
    (f.licenses?.length ?? 0) > 0 ||
    f.task !== undefined ||
    (f.organizations?.length ?? 0) > 0 ||
    f.minParams !== undefined ||
    f.maxParams !== undefined
  );
}

/** Why nothing is ranked, and what to do: the first sentence in bold, a day with figures as a link. */
function emptyNotice(data: HomePageData): string {
  const [first, ...rest] = data.empty?.lines ?? [`No model is ranked on ${data.ranking.asOf}.`];
  const suggest = data.empty?.suggestAsOf;
  const link = suggest
    ? ` <a href="${attr(`/?${new URLSearchParams({ asOf: suggest }).toString()}`)}">The ranking as of ${html(suggest)}</a>.`
    : '';
  return `<div class="empty"><p><strong>${html(first)}</strong></p>
${rest.map((line) => `<p>${html(line)}</p>`).join('\n')}${link}</div>`;
}

export function renderHomePage(data: HomePageData): string {
  const { ranking } = data;
  const rows = ranking.data
    .map((entry) => trendingRow(entry, data.activity.get(entry.model.id), ranking.asOf, data.filters.asOf))
    .join('\n');
  const weight = (name: string) => html(String(ranking.algorithm.params[name] ?? '?'));
  const table = ranking.data.length
    ? `<div class="table-wrap" role="region" aria-labelledby="ranking-caption" tabindex="0">
<table class="ranking">
<caption id="ranking-caption">Trending models as of ${html(ranking.asOf)}</caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Change</th><th scope="col">Model</th><th scope="col" class="num wrap">Downloads, 7 days</th><th scope="col" class="num">Likes</th><th scope="col" class="wrap">Downloads a day, ${SPARKLINE_DAYS} days</th><th scope="col" class="num">Score</th><th scope="col" class="num">Volume</th><th scope="col" class="num">Growth</th><th scope="col" class="num">Engagement</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`
    : emptyNotice(data);
  const body = `<h1>Trending open models</h1>
<p>What is taking off, as of <strong>${html(ranking.asOf)}</strong> (UTC), by the published score
<code>${html(ranking.algorithm.version)}</code>: score = ${weight('volumeWeight')} × volume + ${weight('growthWeight')} × growth + ${weight('engagementWeight')} × engagement.
Change is against the day before; downloads (over the 7 days to it), likes and the line of downloads a day are as of that day too.
<a href="${attr(apiQuery(data.filters, ranking.asOf))}">This ranking as JSON</a>.</p>
${ranking.demo ? `<p class="demo">${DEMO_NOTE}</p>\n` : ''}${filterForm(data)}
${table}`;
  // The trending widget is this page's oEmbed card, filters kept.
  const query = apiQuery(data.filters, ranking.asOf).split('?')[1] ?? '';
  const page = `${data.publicUrl}/${query ? `?${query}` : ''}`;
  const oembed = `${data.publicUrl}/oembed?url=${encodeURIComponent(page)}&format=json`;
  const head = `<link rel="alternate" type="application/json+oembed" href="${attr(oembed)}" title="Trending open models">\n`;
  return layout({ title: `Trending open models as of ${ranking.asOf} · modelpulse`, body, head });
}
