import {
  canonicalHost,
  clusterLocalParts,
  hostMatchesPattern,
  sameHost,
  serviceHost,
} from './hosts';

describe('canonicalHost', () => {
  it.each`
    host                                     | namespace     | expected
    ${'reviews'}                             | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${'reviews.bookinfo'}                    | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${'reviews.bookinfo.svc'}                | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${'reviews.bookinfo.svc.cluster.local'}  | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${'reviews.bookinfo.svc.cluster.local'}  | ${'default'}  | ${'reviews.bookinfo.svc.cluster.local'}
    ${'Reviews.BookInfo.svc.cluster.local.'} | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${' reviews '}                           | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'}
    ${'reviews'}                             | ${'default'}  | ${'reviews.default.svc.cluster.local'}
    ${'ratings.other.svc'}                   | ${'bookinfo'} | ${'ratings.other.svc.cluster.local'}
    ${'api.example.com'}                     | ${'bookinfo'} | ${'api.example.com'}
    ${'example.com'}                         | ${'bookinfo'} | ${'example.com'}
    ${'*.bookinfo.svc.cluster.local'}        | ${'bookinfo'} | ${'*.bookinfo.svc.cluster.local'}
    ${'*'}                                   | ${'bookinfo'} | ${'*'}
    ${'10.0.0.12'}                           | ${'bookinfo'} | ${'10.0.0.12'}
    ${'fd00::1'}                             | ${'bookinfo'} | ${'fd00::1'}
  `('$host in $namespace → $expected', ({ host, namespace, expected }) => {
    expect(canonicalHost(host, namespace)).toBe(expected);
  });

  it('reads name.namespace as a service only when the namespace is known', () => {
    expect(canonicalHost('reviews.other', 'bookinfo')).toBe('reviews.other');
    expect(
      canonicalHost('reviews.other', 'bookinfo', { namespaces: ['other'] }),
    ).toBe('reviews.other.svc.cluster.local');
  });

  it('uses the configured cluster domain', () => {
    expect(
      canonicalHost('reviews', 'bookinfo', { clusterDomain: 'corp.internal' }),
    ).toBe('reviews.bookinfo.svc.corp.internal');
    expect(
      canonicalHost('reviews.bookinfo.svc', 'x', {
        clusterDomain: 'corp.internal',
      }),
    ).toBe('reviews.bookinfo.svc.corp.internal');
  });
});

describe('sameHost', () => {
  it.each`
    a                         | nsA           | b                                       | nsB           | same
    ${'reviews'}              | ${'bookinfo'} | ${'reviews.bookinfo'}                   | ${'bookinfo'} | ${true}
    ${'reviews'}              | ${'bookinfo'} | ${'reviews.bookinfo.svc.cluster.local'} | ${'default'}  | ${true}
    ${'reviews'}              | ${'bookinfo'} | ${'reviews'}                            | ${'default'}  | ${false}
    ${'reviews.bookinfo.svc'} | ${'x'}        | ${'reviews'}                            | ${'bookinfo'} | ${true}
    ${'reviews'}              | ${'bookinfo'} | ${'ratings'}                            | ${'bookinfo'} | ${false}
  `('$a@$nsA vs $b@$nsB → $same', ({ a, nsA, b, nsB, same }) => {
    expect(
      sameHost({ host: a, namespace: nsA }, { host: b, namespace: nsB }),
    ).toBe(same);
  });
});

describe('serviceHost and clusterLocalParts', () => {
  it('builds and splits cluster-local hosts', () => {
    expect(serviceHost('reviews', 'bookinfo')).toBe(
      'reviews.bookinfo.svc.cluster.local',
    );
    expect(clusterLocalParts('reviews.bookinfo.svc.cluster.local')).toEqual({
      service: 'reviews',
      namespace: 'bookinfo',
    });
  });

  it.each([
    'api.example.com',
    '*.bookinfo.svc.cluster.local',
    'a.b.c.svc.cluster.local',
    'reviews.bookinfo.svc.other.domain',
  ])('%s is not a cluster-local service host', host => {
    expect(clusterLocalParts(host)).toBeUndefined();
  });
});

describe('hostMatchesPattern', () => {
  it.each`
    pattern                                 | host                                    | matches
    ${'reviews.bookinfo.svc.cluster.local'} | ${'reviews.bookinfo.svc.cluster.local'} | ${true}
    ${'*.bookinfo.svc.cluster.local'}       | ${'reviews.bookinfo.svc.cluster.local'} | ${true}
    ${'*.bookinfo.svc.cluster.local'}       | ${'reviews.default.svc.cluster.local'}  | ${false}
    ${'*'}                                  | ${'anything.example.com'}               | ${true}
    ${'ratings.bookinfo.svc.cluster.local'} | ${'reviews.bookinfo.svc.cluster.local'} | ${false}
  `('$pattern ⊇ $host → $matches', ({ pattern, host, matches }) => {
    expect(hostMatchesPattern(pattern, host)).toBe(matches);
  });
});
