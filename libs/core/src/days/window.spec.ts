import { windowEnding } from './days';

describe('windowEnding', () => {
  it('gives the 7 days a model\u2019s downloads7d sums on 10 March: 3 to 9 March, the day in progress out', () => {
    expect(windowEnding('2025-03-09', 7)).toEqual({ from: '2025-03-03', to: '2025-03-09' });
  });

  it('runs 30 days back across the end of February', () => {
    expect(windowEnding('2025-03-09', 30)).toEqual({ from: '2025-02-08', to: '2025-03-09' });
  });

  it('is the one day itself for a window of one day', () => {
    expect(windowEnding('2025-01-01', 1)).toEqual({ from: '2025-01-01', to: '2025-01-01' });
  });
});
