import { movedLocation } from './moved-location';

describe('the Location of a renamed model', () => {
  it('puts the new id in the same route', () => {
    expect(
      movedLocation(
        '/v1/models/:org/:name',
        { org: 'acme', name: 'launch' },
        '/v1/models/acme/launch',
        'acme-labs/launch-v2',
      ),
    ).toBe('/v1/models/acme-labs/launch-v2');
  });

  it('keeps the query string as it came, encoding included', () => {
    expect(
      movedLocation(
        '/v1/models/:org/:name/stats',
        { org: 'ACME', name: 'Launch' },
        '/v1/models/ACME/Launch/stats?from=2025-01-01&source=hugging%20face',
        'acme/launch-v2',
      ),
    ).toBe('/v1/models/acme/launch-v2/stats?from=2025-01-01&source=hugging%20face');
  });

  it('keeps other parameters and what follows a parameter in its segment', () => {
    expect(
      movedLocation(
        '/badges/:org/:name/:metric.svg',
        { org: 'a', name: 'b', metric: 'downloads' },
        '/badges/a/b/downloads.svg',
        'c/d',
      ),
    ).toBe('/badges/c/d/downloads.svg');
  });

  it('leaves a path that holds the id twice right, since it works from the route, not the text', () => {
    expect(
      movedLocation('/v1/models/:org/:name', { org: 'v1', name: 'models' }, '/v1/models/v1/models?x=1', 'v2/models'),
    ).toBe('/v1/models/v2/models?x=1');
  });
});
