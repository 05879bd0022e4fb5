/*
 * Suite 7, restarts, on SQLite files (the demo's database): history written
 * before a graceful restart and before a crash is all there after it. See
 * __testUtils__/restarts.ts.
 */
import { RestartScenario } from './__testUtils__/restarts';

jest.setTimeout(240_000);

describe('restarts (SQLite)', () => {
  const scenario = new RestartScenario('sqlite');
  beforeAll(() => scenario.start());
  afterAll(() => scenario.finish());

  it('keeps every history row across a graceful restart and a crash', async () => {
    expect(await scenario.check()).toEqual([]);
  });

  it('left no change in the cluster without its history record, and named its field manager on every patch', async () => {
    expect(await scenario.unrecordedChanges()).toEqual([]);
  });
});
