import { destinationRule, refusal } from './__testUtils__/scenarios';
import { destinationRulesForHost, requireSubsetDefined } from './subsets';

const subsets = (...names: string[]) =>
  names.map(name => ({ name, labels: { version: name } }));

const rules = [
  destinationRule('reviews', 'bookinfo', 'reviews', subsets('v1', 'v2')),
  destinationRule(
    'reviews-extra',
    'bookinfo',
    'reviews.bookinfo.svc.cluster.local',
    subsets('v9'),
  ),
  destinationRule('reviews-other-ns', 'other', 'reviews', subsets('v5')),
  destinationRule(
    'all-bookinfo',
    'bookinfo',
    '*.bookinfo.svc.cluster.local',
    subsets('w1'),
  ),
  destinationRule('everything', 'istio-system', '*', subsets('w2')),
];
const ctx = {
  namespace: 'bookinfo',
  hostOptions: { namespaces: ['bookinfo', 'other'] },
  destinationRules: rules,
};

describe('destinationRulesForHost', () => {
  it.each([
    ['reviews', ['reviews', 'reviews-extra']],
    ['reviews.bookinfo', ['reviews', 'reviews-extra']],
    ['reviews.bookinfo.svc.cluster.local', ['reviews', 'reviews-extra']],
    ['reviews.other', ['reviews-other-ns']],
    ['ratings', ['all-bookinfo']],
    ['ratings.other.svc.cluster.local', ['everything']],
  ])('for host %s: %j', (host, names) => {
    expect(
      destinationRulesForHost(ctx, host).map(dr => dr.metadata?.name),
    ).toEqual(names);
  });
});

describe('requireSubsetDefined', () => {
  it('accepts a subset of any DestinationRule for the host', () => {
    expect(() =>
      requireSubsetDefined('subset', 'v9', 'reviews', ctx),
    ).not.toThrow();
  });

  it.each([
    [
      'v5',
      'reviews',
      'subset "v5" is not defined in DestinationRules "reviews" and "reviews-extra"',
    ],
    [
      'v1',
      'reviews.other',
      'subset "v1" is not defined in DestinationRule "reviews-other-ns"',
    ],
  ])('refuses subset %s of host %s', (subset, host, reason) => {
    expect(
      refusal(() => requireSubsetDefined('weights.v5', subset, host, ctx)),
    ).toEqual({
      field: 'weights.v5',
      reason,
    });
  });

  it('says when no DestinationRule exists for the host', () => {
    expect(
      refusal(() =>
        requireSubsetDefined('subset', 'v1', 'ratings', {
          ...ctx,
          destinationRules: [],
        }),
      ),
    ).toEqual({
      field: 'subset',
      reason:
        'subset "v1" is not defined: no DestinationRule for host "ratings.bookinfo.svc.cluster.local"',
    });
  });
});
