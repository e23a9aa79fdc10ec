/** One part of a hub id: letters, digits, `-`, `_`, `.`; no `--` or `..`; 1-96 characters. */
const PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;

export function isValidIdPart(part: string): boolean {
  return PART.test(part);
}

/** Whether `id` is a well-formed Hugging Face style `org/name`. */
export function isValidModelId(id: string): boolean {
  const parts = id.split('/');
  return parts.length === 2 && parts.every(isValidIdPart);
}

export function splitModelId(id: string): { organization: string; name: string } {
  const [organization, name] = id.split('/');
  return { organization, name };
}
