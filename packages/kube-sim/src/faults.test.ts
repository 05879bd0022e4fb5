import { Faults, validateFaultSpec } from './faults';

describe('Faults', () => {
  it('matches every Kubernetes request when no filter is given', () => {
    const faults = new Faults();
    const f = faults.add({ status: 503 });
    expect(f).toMatchObject({ id: 'fault-1', status: 503, applied: 0 });
    expect(faults.apply({ verb: 'get' })).toEqual({
      latencyMs: 0,
      status: 503,
      drop: false,
      faultIds: ['fault-1'],
    });
    expect(
      faults.apply({
        verb: 'patch',
        resource: 'virtualservices',
        namespace: 'x',
      })?.status,
    ).toBe(503);
  });

  it('filters by verb, resource and namespace', () => {
    const faults = new Faults();
    faults.add({
      verb: 'patch',
      resource: 'virtualservices',
      namespace: 'bookinfo',
      status: 500,
    });
    expect(
      faults.apply({
        verb: 'get',
        resource: 'virtualservices',
        namespace: 'bookinfo',
      }),
    ).toBeUndefined();
    expect(
      faults.apply({
        verb: 'patch',
        resource: 'destinationrules',
        namespace: 'bookinfo',
      }),
    ).toBeUndefined();
    expect(
      faults.apply({
        verb: 'patch',
        resource: 'virtualservices',
        namespace: 'other',
      }),
    ).toBeUndefined();
    expect(
      faults.apply({
        verb: 'patch',
        resource: 'virtualservices',
        namespace: 'bookinfo',
      })?.status,
    ).toBe(500);
    expect(
      faults.apply({
        verb: 'patch',
        resource: 'virtualservices',
        subresource: 'status',
        namespace: 'bookinfo',
      })?.status,
    ).toBe(500);
  });

  it('ends a fault after `times` applications', () => {
    const faults = new Faults();
    faults.add({ status: 500, times: 2 });
    expect(faults.apply({ verb: 'get' })?.status).toBe(500);
    expect(faults.apply({ verb: 'get' })?.status).toBe(500);
    expect(faults.apply({ verb: 'get' })).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('applies `fraction` to that share of matching requests', () => {
    const rolls = [0.1, 0.6, 0.49, 0.5];
    const faults = new Faults(() => rolls.shift()!);
    faults.add({ drop: true, fraction: 0.5 });
    expect(
      [1, 2, 3, 4].map(() => faults.apply({ verb: 'get' })?.drop ?? false),
    ).toEqual([true, false, true, false]);
  });

  it('combines several faults: latencies add, first status wins, any drop drops', () => {
    const faults = new Faults();
    faults.add({ latencyMs: 10 });
    faults.add({ latencyMs: 5, status: 429 });
    faults.add({ status: 500 });
    expect(faults.apply({ verb: 'list' })).toEqual({
      latencyMs: 15,
      status: 429,
      drop: false,
      faultIds: ['fault-1', 'fault-2', 'fault-3'],
    });
  });

  it('keeps the effects of faults with `after` apart, for the answer of a served request', () => {
    const faults = new Faults();
    faults.add({ latencyMs: 10 });
    faults.add({ drop: true, after: true });
    faults.add({ latencyMs: 7, status: 503, after: true });
    expect(faults.apply({ verb: 'patch' })).toEqual({
      latencyMs: 10,
      drop: false,
      faultIds: ['fault-1', 'fault-2', 'fault-3'],
      after: { latencyMs: 7, status: 503, drop: true },
    });
  });

  it('refuses an `after` that is not a boolean', () => {
    expect(() => new Faults().add({ status: 500, after: 'yes' })).toThrow(
      'after must be a boolean',
    );
  });

  it('removes one or all faults', () => {
    const faults = new Faults();
    const a = faults.add({ status: 500 });
    faults.add({ status: 501 });
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    expect(faults.list().map(f => f.status)).toEqual([501]);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });

  it.each([
    [[], /JSON object/],
    [{ verb: 'fetch', status: 500 }, /verb must be one of/],
    [{ status: 99 }, /status must be an HTTP status code/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ drop: 'yes' }, /drop must be a boolean/],
    [{ status: 500, times: 0 }, /times/],
    [{ status: 500, fraction: 2 }, /fraction/],
    [{ verb: 'get' }, /needs latencyMs, status or drop/],
    [{ status: 500, colour: 'red' }, /unknown fault field "colour"/],
  ])('rejects invalid spec %#', (raw, message) => {
    expect(() => validateFaultSpec(raw)).toThrow(message);
  });
});
