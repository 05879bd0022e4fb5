import { Entity } from '@backstage/catalog-model';
import { isIstioRolloutsAvailable } from './annotations';

const withAnnotations = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('isIstioRolloutsAvailable', () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ 'backstage.io/kubernetes-id': 'reviews' }, true],
    [{ 'backstage.io/kubernetes-label-selector': 'app=reviews' }, true],
    [{ 'backstage.io/kubernetes-namespace': 'bookinfo' }, false],
  ])('for annotations %j is %s', (annotations, expected) => {
    expect(isIstioRolloutsAvailable(withAnnotations(annotations))).toBe(
      expected,
    );
  });
});
