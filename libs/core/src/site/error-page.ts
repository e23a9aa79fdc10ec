import { html, layout } from './layout';

/** What an error page says: the status, and the problem's detail and field errors. */
export interface ErrorPageData {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  requestId?: string;
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
