import { Test } from '@nestjs/testing';
import { AppConfigModule } from '@modelpulse/config';
import { ClockModule } from '@modelpulse/core/clock';
import {
  GitHubSource,
  HuggingFaceSource,
  SourcesModule,
  UPSTREAM_SOURCES,
  type UpstreamSource,
} from '@modelpulse/core/sources';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';

describe('SourcesModule', () => {
  let hub: FakeHuggingFace;
  let gh: FakeGitHub;
  const saved = { ...process.env };

  beforeAll(async () => {
    hub = await FakeHuggingFace.start();
    gh = await FakeGitHub.start();
    hub.addModel({ id: 'Qwen/QwQ-32B', downloads: 600_000, downloadsAllTime: 2_000_000, likes: 2_900 });
    gh.addRepo('QwenLM/QwQ', { stars: 3_000, forks: 150 });
  });

  afterAll(async () => {
    process.env = saved;
    await hub.stop();
    await gh.stop();
  });

  it('builds both sources from the environment: endpoints, tokens and pace', async () => {
    Object.assign(process.env, {
      HF_ENDPOINT: hub.url,
      HF_TOKEN: 'hf_from_env',
      GITHUB_API_URL: `${gh.url}/`,
      GITHUB_TOKEN: 'ghp_from_env',
      HF_REQUESTS_PER_SECOND: '50',
      GITHUB_REQUESTS_PER_SECOND: '50',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, ClockModule, SourcesModule],
    }).compile();
    await moduleRef.init();
    try {
      const sources = moduleRef.get<UpstreamSource[]>(UPSTREAM_SOURCES);
      expect(sources.map((s) => s.upstream)).toEqual(['huggingface', 'github']);
      expect(sources[0]).toBe(moduleRef.get(HuggingFaceSource));
      expect(sources[1]).toBe(moduleRef.get(GitHubSource));

      expect(await moduleRef.get(HuggingFaceSource).fetchOne('Qwen/QwQ-32B')).toMatchObject({
        status: 'ok',
        reading: { downloads30d: 600_000, downloadsAllTime: 2_000_000, likes: 2_900 },
      });
      expect(await moduleRef.get(GitHubSource).fetchOne('QwenLM/QwQ')).toMatchObject({
        status: 'ok',
        reading: { stars: 3_000, forks: 150 },
      });
      expect(hub.requests[0].headers.authorization).toBe('Bearer hf_from_env');
      expect(gh.requests[0].headers.authorization).toBe('Bearer ghp_from_env');
      expect(gh.requests[0].path).toBe('/repos/QwenLM/QwQ');
    } finally {
      await moduleRef.close();
    }
  });
});
