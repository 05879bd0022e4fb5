import { Entity } from '@backstage/catalog-model';
import { selectEntityObjects } from './entitySelection';

function component(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'reviews', namespace: 'default', annotations },
    spec: {},
  };
}

const ID = 'backstage.io/kubernetes-id';
const SELECTOR = 'backstage.io/kubernetes-label-selector';

const byId = (id: string) => ({ key: ID, operator: 'Equals', values: [id] });

describe('selectEntityObjects', () => {
  it.each([
    [
      'kubernetes-id as the label backstage.io/kubernetes-id',
      { [ID]: 'reviews' },
      {
        labelSelector: 'backstage.io/kubernetes-id=reviews',
        requirements: [byId('reviews')],
      },
    ],
    [
      'a label selector, which wins over kubernetes-id',
      { [ID]: 'reviews', [SELECTOR]: 'app=reviews,tier in (web)' },
      {
        labelSelector: 'app=reviews,tier in (web)',
        requirements: [
          { key: 'app', operator: 'Equals', values: ['reviews'] },
          { key: 'tier', operator: 'In', values: ['web'] },
        ],
      },
    ],
    [
      'a label selector in its canonical form, as the API server reads it',
      { [SELECTOR]: ' tier in (web) , app == reviews,  x != y ' },
      {
        labelSelector: 'app=reviews,tier in (web),x!=y',
        requirements: [
          { key: 'app', operator: 'Equals', values: ['reviews'] },
          { key: 'tier', operator: 'In', values: ['web'] },
          { key: 'x', operator: 'NotEquals', values: ['y'] },
        ],
      },
    ],
    [
      'a selector whose only equality is a one-value in',
      { [SELECTOR]: 'app.kubernetes.io/name in (reviews),!canary' },
      {
        labelSelector: 'app.kubernetes.io/name in (reviews),!canary',
        requirements: [
          {
            key: 'app.kubernetes.io/name',
            operator: 'In',
            values: ['reviews'],
          },
          { key: 'canary', operator: 'DoesNotExist', values: [] },
        ],
      },
    ],
    [
      'the namespace when kubernetes-namespace is set',
      { [ID]: 'reviews', 'backstage.io/kubernetes-namespace': 'bookinfo' },
      {
        labelSelector: 'backstage.io/kubernetes-id=reviews',
        namespace: 'bookinfo',
        requirements: [byId('reviews')],
      },
    ],
    [
      'trimmed values',
      { [ID]: ' reviews ' },
      {
        labelSelector: 'backstage.io/kubernetes-id=reviews',
        requirements: [byId('reviews')],
      },
    ],
  ])('selects by %s', (_, annotations, selection) => {
    expect(selectEntityObjects(component(annotations))).toEqual({ selection });
  });

  it('explains how to annotate an entity without the annotations', () => {
    expect(selectEntityObjects(component())).toEqual({
      notConfigured: {
        reason: 'MissingAnnotation',
        message: expect.stringContaining(
          'component:default/reviews has neither the backstage.io/kubernetes-id nor the backstage.io/kubernetes-label-selector annotation',
        ),
      },
    });
  });

  it.each([
    [
      'an id that would inject selector terms',
      { [ID]: 'reviews,app!=x' },
      'not a valid Kubernetes label value',
    ],
    [
      'an empty id',
      { [ID]: '  ' },
      'has backstage.io/kubernetes-id: "", which is not a valid Kubernetes label value',
    ],
    [
      'an empty label selector, which would select everything',
      { [SELECTOR]: '  ' },
      'would select every object',
    ],
    [
      'a namespace that is not a namespace name',
      { [ID]: 'reviews', 'backstage.io/kubernetes-namespace': 'Book Info' },
      'not a Kubernetes namespace name',
    ],
    [
      'a malformed label selector',
      { [SELECTOR]: 'app=reviews,' },
      `component:default/reviews has ${SELECTOR}: "app=reviews,", which is not a valid Kubernetes label selector: found '', expected: identifier after ','`,
    ],
    [
      'a label selector with an invalid key',
      { [SELECTOR]: 'Example.com/app=reviews' },
      'which is not a valid Kubernetes label selector: invalid label key "Example.com/app"',
    ],
    [
      'a label selector with an invalid value, even beside a kubernetes-id',
      { [ID]: 'reviews', [SELECTOR]: 'app=re views' },
      'not a valid Kubernetes label selector',
    ],
  ])('refuses %s', (_, annotations, message) => {
    expect(selectEntityObjects(component(annotations))).toEqual({
      notConfigured: {
        reason: 'InvalidAnnotation',
        message: expect.stringContaining(message),
      },
    });
  });

  it.each([
    ['a negation', 'x!=y'],
    ['an absence', '!foo'],
    ['an existence', 'foo'],
    ['a notin', 'tier notin (web)'],
    ['an in with several values', 'tier in (web,api)'],
    ['a comparison', 'replicas>0'],
    ['several of them together', 'app,!canary,tier notin (db),x!=y'],
  ])(
    'refuses a selector that selects only by %s, even beside a kubernetes-id',
    (_, selector) => {
      expect(
        selectEntityObjects(
          component({ [ID]: 'reviews', [SELECTOR]: selector }),
        ),
      ).toEqual({
        notConfigured: {
          reason: 'UnsafeSelector',
          message:
            `component:default/reviews has ${SELECTOR}: "${selector}", which is refused because it pins no ` +
            `label to one value: it selects only by !=, notin, a key's presence or absence, several values or >/<, ` +
            `so it would also match objects of other teams. Add at least one key=value (or key in (value)) ` +
            `requirement, for example ${ID}=<id>.`,
        },
      });
    },
  );
});
