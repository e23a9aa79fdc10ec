import { errorText, UpstreamHttp, type UpstreamResponse } from './upstream-http';
import { systemRuntime, type SourceOptions } from './source-options';

const options = (baseUrl: string): SourceOptions => ({
  baseUrl,
  token: null,
  requestsPerSecond: 1,
  concurrency: 1,
  timeoutMs: 1000,
  maxRetries: 0,
  maxWaitMs: 0,
  backoffBaseMs: 1000,
  backoffMaxMs: 1000,
});

describe('UpstreamHttp URLs', () => {
  const mirror = new UpstreamHttp(options('https://mirror.example.org/hf'), systemRuntime, {});

  afterAll(() => mirror.close());

  it('keeps the path prefix of the configured base', () => {
    expect(mirror.endpoint('api/models/Qwen/QwQ-32B').href).toBe(
      'https://mirror.example.org/hf/api/models/Qwen/QwQ-32B',
    );
  });

  it('resolves a relative Location against the request it answers', () => {
    const from = new URL('https://mirror.example.org/hf/api/models/bert-base-uncased');
    expect(mirror.follow('/hf/api/models/google-bert/bert-base-uncased', from).href).toBe(
      'https://mirror.example.org/hf/api/models/google-bert/bert-base-uncased',
    );
  });

  it('moves a URL on another origin onto the configured one, so the token stays home', () => {
    const from = mirror.endpoint('api/models');
    expect(mirror.follow('https://huggingface.co/api/models?author=Qwen&cursor=abc', from).href).toBe(
      'https://mirror.example.org/hf/api/models?author=Qwen&cursor=abc',
    );
  });
});

describe('errorText', () => {
  const response = (body: string): UpstreamResponse => ({
    status: 400,
    headers: new Headers(),
    body,
    url: new URL('https://x.test'),
  });

  it("reads the hub's error and GitHub's message", () => {
    expect(errorText(response('{"error":"Repository not found"}'))).toBe('Repository not found');
    expect(errorText(response('{"message":"Not Found","status":"404"}'))).toBe('Not Found');
  });

  it('falls back to the start of a body that is not JSON', () => {
    expect(errorText(response('Bad Gateway'))).toBe('Bad Gateway');
  });
});
