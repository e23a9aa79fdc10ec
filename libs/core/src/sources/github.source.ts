import {
  errorText,
  MalformedAnswerError,
  parseJson,
  UpstreamHttp,
  USER_AGENT,
  type UpstreamResponse,
} from './upstream-http';
import { systemRuntime, type SourceOptions, type SourceRuntime } from './source-options';
import { UpstreamSource, type FetchOutcome } from './upstream-source';

/** The REST API version our reading of the answers is written against. */
export const GITHUB_API_VERSION = '2022-11-28';
const MAX_REDIRECTS = 3;

/**
 * A refusal for rate: the primary limit (403 or 429 with
 * `X-RateLimit-Remaining: 0`) or a secondary one (403 or 429 with
 * `Retry-After`, or a message that says so).
 */
function isGitHubRateLimited(response: UpstreamResponse): boolean {
  if (response.status !== 403 && response.status !== 429) return false;
  if (response.headers.get('x-ratelimit-remaining') === '0') return true;
  if (response.headers.get('retry-after') !== null) return true;
  return /rate limit/i.test(errorText(response));
}

function count(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MalformedAnswerError(`${field} is not a count: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * GitHub: `GET /repos/{owner}/{repo}` gives stars and forks. A renamed or
 * transferred repository answers 301 to `/repositories/{id}`, which is
 * followed and reported as `renamed` with its new `full_name`; 404 (and 451,
 * blocked for legal reasons) is `gone`.
 */
export class GitHubSource extends UpstreamSource {
  readonly upstream = 'github' as const;

  constructor(
    options: SourceOptions,
    private readonly runtime: SourceRuntime = systemRuntime,
  ) {
    super(
      new UpstreamHttp(
        options,
        runtime,
        {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': GITHUB_API_VERSION,
          'User-Agent': USER_AGENT,
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        },
        isGitHubRateLimited,
      ),
    );
  }

  async fetchOne(externalId: string): Promise<FetchOutcome> {
    const parts = externalId.split('/');
    if (parts.length !== 2 || parts.some((part) => part === '')) {
      return { status: 'failed', error: `not an owner/repo id: ${externalId}` };
    }
    try {
      return await this.fetchRepo(externalId, this.http.endpoint(`repos/${parts.map(encodeURIComponent).join('/')}`));
    } catch (error) {
      return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async fetchRepo(asked: string, first: URL): Promise<FetchOutcome> {
    let url = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await this.http.get(url);
      if ([301, 302, 307, 308].includes(response.status)) {
        const location = response.headers.get('location');
        if (!location) throw new MalformedAnswerError(`HTTP ${response.status} without a Location`);
        url = this.http.follow(location, url);
        continue;
      }
      if (response.status === 404 || response.status === 410 || response.status === 451) return { status: 'gone' };
      if (response.status !== 200) {
        return { status: 'failed', error: `HTTP ${response.status}: ${errorText(response)}` };
      }
      const json = parseJson(response.body);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new MalformedAnswerError('the answer is not a JSON object');
      }
      const body = json as Record<string, unknown>;
      const fullName = body.full_name;
      if (typeof fullName !== 'string' || !fullName.includes('/')) {
        throw new MalformedAnswerError('the answer has no full_name');
      }
      const reading = {
        externalId: fullName,
        observedAt: this.runtime.now(),
        downloadsAllTime: null,
        downloads30d: null,
        likes: null,
        stars: count(body, 'stargazers_count'),
        forks: count(body, 'forks_count'),
      };
      return fullName.toLowerCase() === asked.toLowerCase()
        ? { status: 'ok', externalId: fullName, reading }
        : { status: 'renamed', from: asked, to: fullName, reading };
    }
    return { status: 'failed', error: `more than ${MAX_REDIRECTS} redirects from ${asked}` };
  }
}
