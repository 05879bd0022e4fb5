import { ActionValidationError } from '@internal/plugin-istio-rollouts-common';
import { parseRolloutId } from './parseRolloutId';

describe('parseRolloutId', () => {
  it('reads cluster, namespace and name', () => {
    expect(parseRolloutId('demo-east/bookinfo/reviews')).toEqual({
      cluster: 'demo-east',
      namespace: 'bookinfo',
      name: 'reviews',
    });
  });

  it('takes namespace and name from the right, so a cluster name may hold a slash', () => {
    expect(parseRolloutId('eu/prod/bookinfo/reviews')).toEqual({
      cluster: 'eu/prod',
      namespace: 'bookinfo',
      name: 'reviews',
    });
  });

  it.each([
    ['reviews'],
    ['bookinfo/reviews'],
    ['/bookinfo/reviews'],
    ['a//b'],
    [''],
    [42],
  ])('refuses %j on rolloutId', id => {
    const error = (() => {
      try {
        return parseRolloutId(id);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ActionValidationError);
    expect(error).toMatchObject({
      field: 'rolloutId',
      message: expect.stringMatching(
        /^rolloutId: must be <cluster>\/<namespace>\/<name>/,
      ),
    });
  });
});
