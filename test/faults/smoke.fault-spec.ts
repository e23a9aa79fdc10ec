import { AppProcess } from './support/app-process';
import { Cluster } from './support/cluster';

describe('fault harness', () => {
  let cluster: Cluster;
  let api: AppProcess;

  beforeAll(async () => {
    cluster = await Cluster.create();
    api = await AppProcess.start('api', { DATABASE_URL: await cluster.createDatabase('smoke') });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
  });

  it('runs the built API on a cluster of its own', async () => {
    const response = await fetch(`${api.url}/v1/models`);
    expect(response.status).toBe(200);
  });
});
