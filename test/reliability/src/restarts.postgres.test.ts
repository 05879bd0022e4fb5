/*
 * Suite 7, restarts, on PostgreSQL, when Backstage's test helpers are given a
 * server (BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING, which CI
 * sets); skipped without one. Each run gets fresh databases. See
 * __testUtils__/restarts.ts.
 */
import { postgresConnection, RestartScenario } from './__testUtils__/restarts';

jest.setTimeout(240_000);

const connection = postgresConnection();

(connection ? describe : describe.skip)('restarts (PostgreSQL)', () => {
  const scenario = new RestartScenario('postgres', connection);
  beforeAll(() => scenario.start());
  afterAll(() => scenario.finish());

  it('keeps every history row across a graceful restart and a crash', async () => {
    expect(await scenario.check()).toEqual([]);
  });

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    expect(await scenario.unrecordedChanges()).toEqual([]);
  });
});
