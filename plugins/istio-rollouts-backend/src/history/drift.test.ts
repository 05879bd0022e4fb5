import { assessRoute, describeChange, RouteRecord, sameSplit } from './drift';

const stanza = (...weights: Array<[string, number | undefined]>) => ({
  name: 'reviews-route',
  route: weights.map(([subset, weight]) => ({
    destination: { host: 'reviews', subset },
    ...(weight === undefined ? {} : { weight }),
  })),
});

const v5050 = stanza(['v1', 50], ['v2', 50]);
const v8020 = stanza(['v1', 80], ['v2', 20]);
const v7030 = stanza(['v1', 70], ['v2', 30]);

let nextId = 1;
const backstage = (
  after: unknown,
  status: RouteRecord['status'] = 'applied',
): RouteRecord => ({
  id: nextId++,
  source: 'backstage',
  status,
  after,
  createdAt: '2026-12-14T12:00:00.000Z',
});
const outside = (after: unknown): RouteRecord => ({
  id: nextId++,
  source: 'outside',
  status: 'applied',
  after,
  createdAt: '2026-12-14T12:05:00.000Z',
  outside: { resourceVersion: '44', by: 'kubectl-patch' },
});

describe('sameSplit', () => {
  it.each([
    ['equal splits', v5050, stanza(['v1', 50], ['v2', 50]), true],
    [
      'the same split listed in another order',
      v5050,
      stanza(['v2', 50], ['v1', 50]),
      true,
    ],
    [
      'a lone destination with and without weight 100',
      stanza(['v1', undefined]),
      stanza(['v1', 100]),
      true,
    ],
    ['other weights', v5050, v7030, false],
    ['another subset', v5050, stanza(['v1', 50], ['v3', 50]), false],
    [
      'one destination more at 0',
      v5050,
      stanza(['v1', 50], ['v2', 50], ['v3', 0]),
      false,
    ],
    ['a route that is gone', v5050, undefined, false],
  ])('%s → %s', (_what, a, b, same) => {
    expect(sameSplit(a, b)).toBe(same);
  });

  it('ignores what the history does not keep (matches, retries)', () => {
    expect(
      sameSplit(v5050, {
        ...v5050,
        match: [{ uri: { prefix: '/' } }],
        retries: { attempts: 3 },
      }),
    ).toBe(true);
  });
});

describe('assessRoute', () => {
  it('finds no drift on a route Backstage never changed, whatever it shows', () => {
    expect(assessRoute([], v7030)).toEqual({ drifted: false });
    expect(assessRoute([backstage(v8020, 'pending')], v7030)).toEqual({
      drifted: false,
    });
  });

  it('finds no drift while the route shows Backstage’s last applied change', () => {
    expect(assessRoute([backstage(v5050), backstage(v8020)], v8020)).toEqual({
      drifted: false,
      expected: v8020,
    });
  });

  it('reports a route changed outside Backstage, and asks to record it once', () => {
    const applied = backstage(v5050);
    expect(assessRoute([applied], v7030)).toEqual({
      drifted: true,
      expected: v5050,
      record: { before: v5050 },
    });
    const recorded = outside(v7030);
    // The next read: the state is recorded, still drift, nothing to record.
    expect(assessRoute([recorded, applied], v7030)).toEqual({
      drifted: true,
      expected: v5050,
      recorded,
    });
  });

  it('records each new outside state from the last one recorded', () => {
    const applied = backstage(v5050);
    const recorded = outside(v7030);
    const v6040 = stanza(['v1', 60], ['v2', 40]);
    expect(assessRoute([applied, recorded], v6040)).toEqual({
      drifted: true,
      expected: v5050,
      record: { before: v7030 },
    });
  });

  it('records a route put back by hand, without calling it drift', () => {
    expect(assessRoute([backstage(v5050), outside(v7030)], v5050)).toEqual({
      drifted: false,
      expected: v5050,
      record: { before: v7030 },
    });
  });

  it('takes Backstage’s own write, recorded before it is applied, for no drift', () => {
    for (const status of ['pending', 'unknown'] as const) {
      expect(
        assessRoute([backstage(v5050), backstage(v8020, status)], v8020),
      ).toEqual({ drifted: false, expected: v5050 });
    }
    // After an outside change too: the write that puts it right is Backstage's.
    expect(
      assessRoute(
        [backstage(v5050), outside(v7030), backstage(v8020, 'pending')],
        v8020,
      ),
    ).toEqual({ drifted: false, expected: v5050 });
  });

  it('ignores changes that never reached the cluster, and writes in flight that the route does not show', () => {
    expect(
      assessRoute([backstage(v5050), backstage(v8020, 'failed')], v8020),
    ).toMatchObject({ drifted: true, expected: v5050 });
    expect(
      assessRoute([backstage(v5050), backstage(v8020, 'pending')], v7030),
    ).toMatchObject({ drifted: true, record: { before: v5050 } });
  });

  it('says nothing about a read older than a change Backstage made: concurrent writers, or a lagging cache', () => {
    // Backstage moved the route 80/20 → 70/30, planned on resourceVersion 42; a read of 42 still shows 80/20.
    const records = [
      { ...backstage(v8020), plannedOn: '41' },
      { ...backstage(v7030), plannedOn: '42' },
    ];
    expect(assessRoute(records, v8020, '42')).toEqual({ drifted: false });
    expect(assessRoute(records, v8020, '40')).toEqual({ drifted: false });
    // A write in flight planned on the version read: the read is its base.
    expect(
      assessRoute(
        [backstage(v8020), { ...backstage(v7030, 'pending'), plannedOn: '42' }],
        v8020,
        '42',
      ),
    ).toEqual({ drifted: false });
    // Read after Backstage's write: an outside change, recorded.
    expect(assessRoute(records, v5050, '44')).toMatchObject({
      drifted: true,
      record: { before: v7030 },
    });
    // resourceVersions that are not numbers are only compared for equality.
    expect(
      assessRoute([{ ...backstage(v7030), plannedOn: 'b' }], v5050, 'a'),
    ).toMatchObject({ drifted: true });
  });

  it('compares with the newest applied change, whatever order the records come in', () => {
    const older = backstage(v7030);
    const newer = backstage(v5050);
    expect(assessRoute([newer, older], v7030)).toMatchObject({
      drifted: true,
      expected: v5050,
    });
  });
});

describe('describeChange', () => {
  it('says which weights moved, and which destinations came or went', () => {
    expect(describeChange(v5050, v7030)).toBe('v1 50→70, v2 50→30');
    expect(
      describeChange(v5050, stanza(['v1', 50], ['v2', 50], ['v3', 0])),
    ).toBe('v3 added at 0');
    expect(describeChange(v5050, stanza(['v2', 100]))).toBe(
      'v2 50→100, v1 removed',
    );
    const ported = (port: number, weight: number) => ({
      destination: { host: 'reviews', subset: 'v1', port: { number: port } },
      weight,
    });
    expect(
      describeChange(
        { route: [ported(9080, 50), ported(9090, 50)] },
        { route: [ported(9080, 70), ported(9090, 30)] },
      ),
    ).toBe('v1:9080 50→70, v1:9090 50→30');
  });
});
