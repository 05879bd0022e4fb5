import { Entity } from '@backstage/catalog-model';
import { buildClaimSnapshot, ClaimedObject } from './claimSnapshot';

const ID = 'backstage.io/kubernetes-id';
const SELECTOR = 'backstage.io/kubernetes-label-selector';
const NAMESPACE = 'backstage.io/kubernetes-namespace';

function entity(
  ref: string,
  annotations: Record<string, string>,
  kind = 'Component',
): Entity {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { namespace, name, annotations },
  };
}

const ENTITIES = [
  entity('default/reviews', { [ID]: 'reviews' }),
  // Another team copied the kubernetes-id.
  entity('team-b/reviews-copy', { [ID]: 'reviews' }),
  entity('default/reviews-web', { [SELECTOR]: 'app=reviews,tier in (web)' }),
  entity('default/ratings', { [ID]: 'ratings', [NAMESPACE]: 'bookinfo' }),
  entity('default/foobar', { [ID]: 'foobar' }),
  // Unsafe or malformed: they claim nothing.
  entity('default/everything', { [SELECTOR]: 'x!=y' }),
  entity('default/not-canary', { [SELECTOR]: '!canary' }),
  entity('default/has-app', { [SELECTOR]: 'app' }),
  entity('default/broken', { [SELECTOR]: 'app=reviews,' }),
  entity('default/bad-id', { [ID]: 'a,b' }),
];

const object = (
  namespace: string,
  labels?: Record<string, string>,
): ClaimedObject => ({ namespace, labels });

describe('buildClaimSnapshot', () => {
  const snapshot = buildClaimSnapshot(ENTITIES);

  it.each<[string, ClaimedObject, string[]]>([
    [
      'two entities with the same kubernetes-id both claim the object',
      object('bookinfo', { [ID]: 'reviews' }),
      ['component:default/reviews', 'component:team-b/reviews-copy'],
    ],
    [
      'a selector entity and an id entity match the same labels',
      object('bookinfo', { [ID]: 'reviews', app: 'reviews', tier: 'web' }),
      [
        'component:default/reviews',
        'component:default/reviews-web',
        'component:team-b/reviews-copy',
      ],
    ],
    [
      'a selector entity whose other requirement fails does not claim',
      object('bookinfo', { app: 'reviews', tier: 'db' }),
      [],
    ],
    [
      'a namespace-annotated entity claims objects in its namespace',
      object('bookinfo', { [ID]: 'ratings' }),
      ['component:default/ratings'],
    ],
    [
      'a namespace-annotated entity does not claim objects in other namespaces',
      object('default', { [ID]: 'ratings' }),
      [],
    ],
    [
      'unsafe and malformed selectors claim nothing',
      object('default', { app: 'other', canary: 'no' }),
      [],
    ],
    ['an object without labels is claimed by no one', object('default'), []],
  ])('%s', (_, claimed, refs) => {
    expect(snapshot.claimantsOf(claimed)).toEqual(refs);
  });

  it('counts claimants and refused entities', () => {
    expect(snapshot.claimantCount).toBe(5);
    expect(snapshot.refusedCount).toBe(5);
  });

  it.each<[string, string]>([
    ['a string ref', 'component:default/reviews'],
    ['a ref in another case', 'Component:Default/Reviews'],
  ])('names the other claimants of %s', (_, ref) => {
    expect(
      snapshot.otherClaimants(ref, object('bookinfo', { [ID]: 'reviews' })),
    ).toEqual(['component:team-b/reviews-copy']);
  });

  it('names no other claimant of an object claimed once', () => {
    expect(
      snapshot.otherClaimants(
        { kind: 'component', namespace: 'default', name: 'foobar' },
        object('foobar', { [ID]: 'foobar' }),
      ),
    ).toEqual([]);
  });

  it('names every claimant to an entity that does not claim the object', () => {
    expect(
      snapshot.otherClaimants(
        'component:default/foobar',
        object('bookinfo', { [ID]: 'reviews' }),
      ),
    ).toEqual(['component:default/reviews', 'component:team-b/reviews-copy']);
  });

  it('finds claims among thousands of entities without scanning them', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      entity(`default/service-${i}`, {
        // A common pair on every entity, and one of its own.
        [SELECTOR]: `team=shared,app=service-${i}`,
      }),
    );
    const big = buildClaimSnapshot(many);
    // Count label look-ups: a scan would look at least once per entity.
    let lookups = 0;
    const labels = new Proxy(
      { team: 'shared', app: 'service-4321' } as Record<string, string>,
      {
        getOwnPropertyDescriptor(target, key) {
          lookups++;
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
      },
    );
    expect(big.claimantsOf(object('default', labels))).toEqual([
      'component:default/service-4321',
    ]);
    expect(lookups).toBeLessThan(10);
  });
});
