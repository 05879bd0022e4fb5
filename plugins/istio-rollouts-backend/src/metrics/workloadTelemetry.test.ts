import { readTelemetry } from './workloadTelemetry';

const v1 = {
  destination_workload: 'reviews-v1',
  destination_workload_namespace: 'bookinfo',
};
const crossed = { ...v1, destination_workload_namespace: 'shop' };

describe('readTelemetry', () => {
  it('keeps exactly the workloads asked for, summing requests and 5xx per time', () => {
    const telemetry = readTelemetry(
      [
        { namespace: 'bookinfo', name: 'reviews-v1' },
        { namespace: 'shop', name: 'cart' },
      ],
      [
        {
          metric: { ...v1, response_code: '200' },
          values: [
            [10, 9],
            [40, 8],
          ],
        },
        { metric: { ...v1, response_code: '503' }, values: [[10, 1]] },
        { metric: { ...v1, response_code: '404' }, values: [[40, 2]] },
        { metric: { ...v1, response_code: '0' }, values: [[40, null]] },
        // The regexes over-match a name in another namespace.
        { metric: { ...crossed, response_code: '500' }, values: [[10, 5]] },
      ],
      [
        {
          metric: { ...v1, quantile: '0.5' },
          values: [
            [10, 4],
            [40, null],
          ],
        },
        { metric: { ...v1, quantile: '0.99' }, values: [[10, 30]] },
        { metric: { ...crossed, quantile: '0.99' }, values: [[10, 900]] },
      ],
    );
    expect([...telemetry.keys()]).toEqual(['bookinfo/reviews-v1']);
    expect(telemetry.get('bookinfo/reviews-v1')).toEqual({
      requests: new Map([
        [10, 10],
        [40, 10],
      ]),
      errors: new Map([
        [10, 1],
        [40, 0],
      ]),
      p50: new Map([[10, 4]]),
      p99: new Map([[10, 30]]),
    });
  });
});
