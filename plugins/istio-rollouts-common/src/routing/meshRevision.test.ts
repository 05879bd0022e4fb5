import { namespaceObject } from './__testUtils__/objects';
import { meshRevisionOf } from './meshRevision';

describe('meshRevisionOf', () => {
  it.each([
    ['istio-injection=enabled', { 'istio-injection': 'enabled' }, 'default'],
    ['istio.io/rev=canary', { 'istio.io/rev': 'canary' }, 'canary'],
    ['istio.io/rev=1-24', { 'istio.io/rev': '1-24' }, '1-24'],
    ['istio.io/rev=default', { 'istio.io/rev': 'default' }, 'default'],
    [
      'both labels: istio-injection wins, as in Istio',
      { 'istio-injection': 'enabled', 'istio.io/rev': '1-24' },
      'default',
    ],
    [
      'istio-injection=disabled turns injection off',
      { 'istio-injection': 'disabled', 'istio.io/rev': '1-24' },
      undefined,
    ],
    ['no labels', {}, undefined],
  ])('%s', (_, labels, expected) => {
    expect(meshRevisionOf(namespaceObject('ns', labels))).toBe(expected);
  });

  it('is undefined for an unknown namespace', () => {
    expect(meshRevisionOf(undefined)).toBeUndefined();
  });
});
