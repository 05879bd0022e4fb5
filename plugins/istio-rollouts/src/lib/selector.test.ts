import { Entity } from '@backstage/catalog-model';
import { entitySelector } from './selector';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('entitySelector', () => {
  it('is undefined without the annotations', () => {
    expect(entitySelector(entity({}))).toBeUndefined();
  });

  it.each([
    [
      { 'backstage.io/kubernetes-id': 'reviews' },
      {
        selector: 'backstage.io/kubernetes-id=reviews',
        label: { key: 'backstage.io/kubernetes-id', value: 'reviews' },
      },
    ],
    [
      {
        'backstage.io/kubernetes-id': 'reviews',
        'backstage.io/kubernetes-label-selector': 'app=reviews,team=books',
        'backstage.io/kubernetes-namespace': 'bookinfo',
      },
      { selector: 'app=reviews,team=books', namespace: 'bookinfo' },
    ],
  ])('%j → %j', (annotations, expected) => {
    expect(entitySelector(entity(annotations))).toEqual(
      expect.objectContaining(expected),
    );
  });
});
