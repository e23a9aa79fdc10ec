import { FakeServer, type RecordedRequest, type Reply } from './fake-server';

interface FakeRepo {
  id: number;
  fullName: string;
  stars: number;
  forks: number;
}

const DOCS = 'https://docs.github.com/rest/repos/repos#get-a-repository';

/**
 * GitHub's REST API for `GET /repos/{owner}/{repo}` with the real shapes: a
 * 301 to `/repositories/{id}` for a renamed repository, 404 `Not Found`, and
 * the primary rate limit in `X-RateLimit-*` headers (a 403 once spent, until
 * the reset time of the test's clock).
 */
export class FakeGitHub extends FakeServer {
  private readonly repos = new Map<string, FakeRepo>();
  private readonly renames = new Map<string, number>();
  private nextId = 1000;
  private quota = { limit: 5000, remaining: 5000, resetAt: new Date(0) };

  static start(now: () => Date = () => new Date()): Promise<FakeGitHub> {
    return new FakeGitHub(now).listen();
  }

  addRepo(fullName: string, counters: { stars: number; forks: number }): void {
    this.nextId += 1;
    this.repos.set(fullName.toLowerCase(), { id: this.nextId, fullName, ...counters });
  }

  setCounters(fullName: string, counters: { stars: number; forks: number }): void {
    Object.assign(this.repo(fullName), counters);
  }

  rename(from: string, to: string): void {
    const repo = this.repo(from);
    this.repos.delete(from.toLowerCase());
    repo.fullName = to;
    this.repos.set(to.toLowerCase(), repo);
    this.renames.set(from.toLowerCase(), repo.id);
  }

  remove(fullName: string): void {
    this.repos.delete(fullName.toLowerCase());
  }

  /** The primary quota: `remaining` requests until `resetAt`, then `limit` again. */
  setQuota(limit: number, remaining: number, resetAt: Date): void {
    this.quota = { limit, remaining, resetAt };
  }

  protected route(request: RecordedRequest): Reply {
    const now = this.now();
    if (now >= this.quota.resetAt && this.quota.remaining === 0) {
      this.quota = { ...this.quota, remaining: this.quota.limit, resetAt: new Date(now.getTime() + 3_600_000) };
    }
    const exhausted = this.quota.remaining === 0;
    if (!exhausted) this.quota.remaining -= 1;
    const headers = {
      'x-ratelimit-limit': String(this.quota.limit),
      'x-ratelimit-remaining': String(this.quota.remaining),
      'x-ratelimit-reset': String(Math.floor(this.quota.resetAt.getTime() / 1000)),
      'x-ratelimit-used': String(this.quota.limit - this.quota.remaining),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
    };
    if (exhausted) {
      return {
        status: 403,
        headers,
        body: {
          message:
            "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)",
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
      };
    }
    const byId = /^\/repositories\/(\d+)$/.exec(request.path);
    const byName = /^\/repos\/([^/]+\/[^/]+)$/.exec(request.path);
    let repo: FakeRepo | undefined;
    if (byId) repo = [...this.repos.values()].find((r) => r.id === Number(byId[1]));
    if (byName) {
      repo = this.repos.get(byName[1].toLowerCase());
      const movedId = this.renames.get(byName[1].toLowerCase());
      if (!repo && movedId !== undefined) {
        const location = `${this.url}/repositories/${movedId}`;
        return {
          status: 301,
          headers: { ...headers, location },
          body: {
            message: 'Moved Permanently',
            url: location,
            documentation_url: 'https://docs.github.com/v3/#http-redirects',
          },
        };
      }
    }
    if (!repo) return { status: 404, headers, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
    const [owner, name] = repo.fullName.split('/');
    return {
      status: 200,
      headers,
      body: {
        id: repo.id,
        node_id: `R_kgDO${repo.id}`,
        name,
        full_name: repo.fullName,
        private: false,
        owner: { login: owner, id: repo.id * 7, type: 'Organization' },
        html_url: `https://github.com/${repo.fullName}`,
        fork: false,
        stargazers_count: repo.stars,
        watchers_count: repo.stars,
        forks_count: repo.forks,
        forks: repo.forks,
        open_issues_count: 3,
        default_branch: 'main',
        archived: false,
      },
    };
  }

  private repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`the fake GitHub has no repository ${fullName}`);
    return repo;
  }
}
