/** The controls the site's GET forms share. Pure. */
import type { LicenseSummaryDto } from '../catalog';
import { attr, html } from './layout';

/** A labelled text input, with its hint read out as its description. */
export function textField(
  name: string,
  label: string,
  value: string,
  hint?: string,
  type: 'text' | 'search' = 'text',
): string {
  const hintId = `${name}-hint`;
  return `<div><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${attr(value)}"${
    hint ? ` aria-describedby="${hintId}"` : ''
  }>${hint ? `<span id="${hintId}" class="muted">${hint}</span>` : ''}</div>`;
}

/** The licence select: "any", then every licence of the directory, the chosen ones (any letter case) selected. */
export function licenseSelect(licenses: readonly LicenseSummaryDto[], chosen: readonly string[] = []): string {
  const picked = new Set(chosen.map((l) => l.toLowerCase()));
  const options = licenses
    .map(
      (l) =>
        `<option value="${attr(l.id)}"${picked.has(l.id.toLowerCase()) ? ' selected' : ''}>${html(l.name)}</option>`,
    )
    .join('');
  return `<div><label for="license">Licence</label><select id="license" name="license"><option value="">Any licence</option>${options}</select></div>`;
}
