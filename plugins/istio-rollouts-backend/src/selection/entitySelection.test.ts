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

describe('selectEntityObjects', () => {
  it.each([
    [
      'kubernetes-id as the label backstage.io/kubernetes-id',
      { 'backstage.io/kubernetes-id': 'reviews' },
      { labelSelector: 'backstage.io/kubernetes-id=reviews' },
    ],
    [
      'a label selector, which wins over kubernetes-id',
      {
        'backstage.io/kubernetes-id': 'reviews',
        'backstage.io/kubernetes-label-selector': 'app=reviews,tier in (web)',
      },
      { labelSelector: 'app=reviews,tier in (web)' },
    ],
    [
      'the namespace when kubernetes-namespace is set',
      {
        'backstage.io/kubernetes-id': 'reviews',
        'backstage.io/kubernetes-namespace': 'bookinfo',
      },
      {
        labelSelector: 'backstage.io/kubernetes-id=reviews',
        namespace: 'bookinfo',
      },
    ],
    [
      'trimmed values',
      { 'backstage.io/kubernetes-id': ' reviews ' },
      { labelSelector: 'backstage.io/kubernetes-id=reviews' },
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
      { 'backstage.io/kubernetes-id': 'reviews,app!=x' },
      'not a valid Kubernetes label value',
    ],
    [
      'an empty label selector, which would select everything',
      { 'backstage.io/kubernetes-label-selector': '  ' },
      'would select every object',
    ],
    [
      'a namespace that is not a namespace name',
      {
        'backstage.io/kubernetes-id': 'reviews',
        'backstage.io/kubernetes-namespace': 'Book Info',
      },
      'not a Kubernetes namespace name',
    ],
  ])('refuses %s', (_, annotations, message) => {
    expect(selectEntityObjects(component(annotations))).toEqual({
      notConfigured: {
        reason: 'InvalidAnnotation',
        message: expect.stringContaining(message),
      },
    });
  });
});
