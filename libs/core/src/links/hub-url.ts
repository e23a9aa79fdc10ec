/**
 * Where a tracked download link sends its visitor: a file in a Hugging Face
 * repository, or the repository's page. The path rules keep a link from
 * pointing outside the repository it names once a browser or proxy
 * normalises the URL.
 */

export const MAX_FILE_PATH_CHARS = 1000;
export const MAX_REVISION_CHARS = 255;

/** C0 and C1 control characters and DEL: invisible in a link, and some clients cut the URL there. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Branch, tag or commit: `main`, `v1.0`, `refs/pr/1`, a commit hash; each segment starts with a letter, digit or `_`. */
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

/** Why `file` is not a path inside a repository, or null when it is one. */
export function filePathProblem(file: string): string | null {
  if (file.length === 0) return 'file must not be empty';
  if (file.length > MAX_FILE_PATH_CHARS) return `file must be at most ${MAX_FILE_PATH_CHARS} characters`;
  if (CONTROL.test(file)) return 'file must not contain control characters';
  if (file.includes('\\')) return 'file must use / between folders, not backslashes';
  if (file.startsWith('/')) return 'file must be a path inside the repository, not an absolute path';
  const segments = file.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return 'file must not contain . or .. segments';
  if (segments.some((s) => s === '')) return 'file must not contain empty segments (// or a trailing /)';
  return null;
}

/** Why `revision` is not a branch, tag or commit name, or null when it is one. */
export function revisionProblem(revision: string): string | null {
  if (revision.length === 0 || revision.length > MAX_REVISION_CHARS || revision.includes('..')) {
    return `revision must be a branch, tag or commit like main, v1.0 or refs/pr/1 (at most ${MAX_REVISION_CHARS} characters)`;
  }
  return REVISION.test(revision)
    ? null
    : 'revision must be a branch, tag or commit like main, v1.0 or refs/pr/1 (letters, digits, . _ - and /)';
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * `{hub}/{repo}/resolve/{revision}/{file}`, the URL the hub serves a file at,
 * or `{hub}/{repo}` without a file. The revision is one segment (`refs/pr/1`
 * becomes `refs%2Fpr%2F1`), as the hub's own client libraries write it.
 */
export function hubUrl(hub: string, repo: string, file: string | null, revision: string | null): string {
  const page = `${hub}/${encodePath(repo)}`;
  if (file === null) return page;
  return `${page}/resolve/${encodeURIComponent(revision ?? 'main')}/${encodePath(file)}`;
}
