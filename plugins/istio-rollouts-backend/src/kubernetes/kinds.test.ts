import { collectionPath, kindLocation, ObjectKind } from './kinds';

describe('kindLocation', () => {
  it.each<[ObjectKind, string, string, string]>([
    [
      'virtualservices',
      'networking.istio.io/v1beta1',
      'VirtualService',
      '/apis/networking.istio.io/v1beta1',
    ],
    [
      'destinationrules',
      'networking.istio.io/v1beta1',
      'DestinationRule',
      '/apis/networking.istio.io/v1beta1',
    ],
    ['deployments', 'apps/v1', 'Deployment', '/apis/apps/v1'],
    ['services', 'v1', 'Service', '/api/v1'],
  ])('places %s in %s as %s under %s', (kind, groupVersion, name, prefix) => {
    expect(kindLocation(kind, 'v1beta1')).toEqual({
      groupVersion,
      kind: name,
      prefix,
    });
  });

  it('refuses a kind the plugin does not read', () => {
    expect(() => kindLocation('secrets' as ObjectKind, 'v1')).toThrow(
      'Not a watched kind: secrets',
    );
  });
});

describe('collectionPath', () => {
  it('lists across namespaces, or in one', () => {
    expect(collectionPath('services', 'v1')).toBe('/api/v1/services');
    expect(collectionPath('virtualservices', 'v1', 'bookinfo')).toBe(
      '/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices',
    );
  });

  it('escapes the version and the namespace', () => {
    expect(collectionPath('destinationrules', 'v1/x', 'a b')).toBe(
      '/apis/networking.istio.io/v1%2Fx/namespaces/a%20b/destinationrules',
    );
  });
});
