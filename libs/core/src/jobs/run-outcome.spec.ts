import { runEndLine } from './run-outcome';
import type { RunSummary } from './sync-run.repository';

const summary = (over: Partial<RunSummary>): RunSummary => ({
  status: 'succeeded',
  modelsDone: 3,
  modelsFailed: 0,
  modelsSkipped: 0,
  upstreamRequests: { huggingface: 3 },
  errors: [],
  ...over,
});

describe('the log line of a finished run', () => {
  it('is plain information when the run succeeded', () => {
    expect(runEndLine('stats-sync', '7', summary({}))).toEqual({
      level: 'log',
      msg: 'stats-sync run 7 succeeded: 3 done, 0 failed, 0 skipped, requests {"huggingface":3}',
    });
  });

  it('is a warning naming the first reason and counting the rest when the hub could not be reached', () => {
    const errors = ['a', 'b', 'c'].map((n) => ({
      model: `acme/${n}`,
      source: 'huggingface',
      error: 'connect ECONNREFUSED 127.0.0.1:443',
    }));
    const line = runEndLine('stats-sync', '8', summary({ status: 'failed', modelsDone: 0, modelsFailed: 3, errors }));
    expect(line.level).toBe('warn');
    expect(line.msg).toBe(
      'stats-sync run 8 failed: 0 done, 3 failed, 0 skipped, requests {"huggingface":3}; ' +
        'first error (acme/a on huggingface): connect ECONNREFUSED 127.0.0.1:443 (and 2 more errors)',
    );
  });

  it('is a warning for a partial run too, with one error and no count of others', () => {
    const errors = [{ model: null, source: null, error: 'the hub answered 503' }];
    expect(runEndLine('discovery', '9', summary({ status: 'partial', errors })).msg).toMatch(
      /^discovery run 9 partial: .*; first error: the hub answered 503$/,
    );
  });
});
