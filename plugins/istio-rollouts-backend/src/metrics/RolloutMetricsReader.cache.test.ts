import { PrometheusQueryError } from './PrometheusClient';
import { ratings, reviews, setup } from './__testUtils__/readerFixtures';

describe('RolloutMetricsReader’s reuse of answers', () => {
  it('reuses an answer per entity, cluster and workloads for cacheSeconds', async () => {
    const { reader, advance } = setup({ analysis: { cacheSeconds: 10 } });
    const entity = 'component:default/reviews';
    // Reads that come together share one answer.
    await Promise.all([
      reader.read(entity, [reviews]),
      reader.read(entity, [reviews]),
    ]);
    expect(reader.queriesSent).toBe(2);

    advance(9_000);
    await reader.read(entity, [reviews]);
    expect(reader.queriesSent).toBe(2);

    // Other workloads, another entity: asked again.
    await reader.read(entity, [reviews, ratings]);
    expect(reader.queriesSent).toBe(4);
    await reader.read('component:default/other', [reviews]);
    expect(reader.queriesSent).toBe(6);

    advance(1_500);
    await reader.read(entity, [reviews]);
    expect(reader.queriesSent).toBe(8);
  });

  it('reuses a failure too, so a Prometheus that hangs is not waited for on every poll', async () => {
    let calls = 0;
    const { reader, advance } = setup({
      answer: async () => {
        calls += 1;
        throw new PrometheusQueryError('Unreachable', 'unreachable');
      },
    });
    await reader.read('component:default/reviews', [reviews]);
    await reader.read('component:default/reviews', [reviews]);
    expect(calls).toBe(2);
    advance(10_000);
    await reader.read('component:default/reviews', [reviews]);
    expect(calls).toBe(4);
  });

  it('asks on every read with cacheSeconds 0', async () => {
    const { reader } = setup({ analysis: { cacheSeconds: 0 } });
    await reader.read('component:default/reviews', [reviews]);
    await reader.read('component:default/reviews', [reviews]);
    expect(reader.queriesSent).toBe(4);
  });
});
