/**
 * The browsable site's HTML: plain functions from data to a page, with no
 * Nest, database or clock in sight. Every string that comes from a model
 * (ids, names, descriptions, tags, titles, URLs) goes through `escapeMarkup`
 * or `attr`, so a hostile catalogue entry renders as text. This file holds
 * what every page shares: the layout, its style and the escaping helpers.
 */
import { splitModelId } from '../catalog';
import { escapeMarkup } from '../embeds';

export const html = escapeMarkup;
/** For attribute values: the same escaping, named for where it is used. */
export const attr = escapeMarkup;

/** `/models/{org}/{name}` with each part encoded, so an id can never break out of its path segment. */
export function modelPath(id: string): string {
  const { organization, name } = splitModelId(id);
  return `/models/${encodeURIComponent(organization)}/${encodeURIComponent(name)}`;
}

/** Ids as one `models` parameter: each encoded but for its slash, joined by commas (never in an id). */
export const modelList = (ids: readonly string[]) =>
  ids.map((id) => encodeURIComponent(id).replace(/%2F/g, '/')).join(',');

/** The compare page of these models. */
export const comparePath = (ids: readonly string[]) => `/compare?models=${modelList(ids)}`;

/** A link to a model's page; with `asOf`, to the page as of that day. */
export function modelLink(id: string, asOf?: string): string {
  const path = asOf === undefined ? modelPath(id) : `${modelPath(id)}?asOf=${encodeURIComponent(asOf)}`;
  return `<a href="${attr(path)}">${html(id)}</a>`;
}

export const score = (value: number) => value.toFixed(2);

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
form.search{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:center;margin-left:auto}
form.search input{font:inherit;padding:.25rem .4rem;border:1px solid #6b6b6b;border-radius:.25rem;background:#fff;color:#1a1a1a;min-width:0;width:14rem;max-width:100%}
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
thead th.wrap{white-space:normal;min-width:5.5rem}
table.ranking tbody th{min-width:12rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.compare thead th{white-space:normal;overflow-wrap:anywhere;min-width:7rem}
table.compare thead svg{display:block;margin-bottom:.2rem}
.up{color:#116329}
.down{color:#a4161a}
.flag{display:inline-block;font-size:.8rem;padding:0 .35rem;margin:0 .2rem .2rem 0;border:1px solid #6b6b6b;border-radius:.75rem;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:minmax(0,10rem) minmax(0,1fr);gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.inline{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
img.chart{display:block;max-width:100%;height:auto;margin:.5rem 0}
svg.spark{display:block}
ul.glance{list-style:none;padding:0;margin:.5rem 0 1rem;display:flex;flex-wrap:wrap;gap:.5rem}
ul.glance li{border:1px solid #d0d0d0;border-radius:.5rem;padding:.25rem .6rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;border:1px solid #d0d0d0;border-radius:.25rem;padding:.5rem .75rem;font-size:.85rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
`;

/** The search box in every page's header: the catalogue page, best matches first. */
const SEARCH_FORM = `<form class="search" role="search" method="get" action="/models">
<label for="site-search" class="sr-only">Search models by id, name, tags or description</label>
<input id="site-search" name="q" type="search" maxlength="200" required placeholder="e.g. deepseek distill">
<button type="submit">Search</button>
</form>`;

export function layout(page: { title: string; body: string; head?: string }): string {
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
<nav aria-label="Site"><ul><li><a href="/">Trending</a></li><li><a href="/models">Models</a></li><li><a href="/compare">Compare</a></li><li><a href="/docs">API</a></li></ul></nav>
${SEARCH_FORM}
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
