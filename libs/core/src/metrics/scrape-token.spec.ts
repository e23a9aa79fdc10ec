import { scrapeAllowed } from './scrape-token';

describe('scrapeAllowed', () => {
  it('lets anyone scrape when no METRICS_TOKEN is set', () => {
    expect(scrapeAllowed(null, undefined)).toBe(true);
    expect(scrapeAllowed(null, 'Bearer anything')).toBe(true);
  });

  it('asks for exactly the token as a bearer credential when one is set', () => {
    expect(scrapeAllowed('s3cret-scrape', 'Bearer s3cret-scrape')).toBe(true);
    expect(scrapeAllowed('s3cret-scrape', 'bearer   s3cret-scrape ')).toBe(true);
    expect(scrapeAllowed('s3cret-scrape', undefined)).toBe(false);
    expect(scrapeAllowed('s3cret-scrape', 's3cret-scrape')).toBe(false);
    expect(scrapeAllowed('s3cret-scrape', 'Basic s3cret-scrape')).toBe(false);
    expect(scrapeAllowed('s3cret-scrape', 'Bearer s3cret-scrap')).toBe(false);
    expect(scrapeAllowed('s3cret-scrape', 'Bearer s3cret-scrape-and-more')).toBe(false);
  });
});
