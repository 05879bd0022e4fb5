import { parseRoute, Route } from './routes';

function route(method: string, path: string) {
  const url = new URL(path, 'http://x');
  return parseRoute(method, url.pathname, url.searchParams);
}

function summary(r: Route) {
  if (r.kind !== 'resource') return r.kind;
  return [
    r.verb,
    r.type.plural,
    r.version,
    r.namespace ?? '-',
    r.name ?? '-',
    r.subresource ?? '-',
  ].join(' ');
}

describe('parseRoute', () => {
  it.each([
    ['GET', '/api', 'discovery'],
    ['GET', '/apis', 'discovery'],
    ['GET', '/apis/networking.istio.io', 'discovery'],
    ['GET', '/apis/networking.istio.io/v1alpha3', 'discovery'],
    ['GET', '/version', 'version'],
    ['GET', '/readyz', 'health'],
    ['GET', '/nothing/here', 'noRoute'],
    ['GET', '/apis/example.com/v1', 'notFound'],
    ['GET', '/apis/networking.istio.io/v2/virtualservices', 'notFound'],
    ['GET', '/apis/networking.istio.io/v1/namespaces/ns/foos', 'notFound'],
    ['GET', '/api/v1/pods/p', 'notFound'],
    ['GET', '/api/v1/namespaces/ns/pods/p/log', 'notFound'],
    ['POST', '/api/v1/pods', 'methodNotAllowed'],
    ['POST', '/api/v1/namespaces/ns/pods/p', 'methodNotAllowed'],
    ['DELETE', '/api/v1/namespaces/ns/pods/p/status', 'methodNotAllowed'],
    ['POST', '/api', 'methodNotAllowed'],
    ['GET', '/api/v1/namespaces', 'list namespaces v1 - - -'],
    ['GET', '/api/v1/namespaces?watch=true', 'watch namespaces v1 - - -'],
    ['GET', '/api/v1/namespaces/bookinfo', 'get namespaces v1 - bookinfo -'],
    [
      'PUT',
      '/api/v1/namespaces/bookinfo/status',
      'update namespaces v1 - bookinfo status',
    ],
    ['GET', '/api/v1/pods', 'list pods v1 - - -'],
    ['GET', '/api/v1/namespaces/ns/services/s', 'get services v1 ns s -'],
    [
      'GET',
      '/apis/apps/v1/namespaces/ns/deployments?watch=1',
      'watch deployments v1 ns - -',
    ],
    [
      'GET',
      '/apis/apps/v1/namespaces/ns/deployments?watch=false',
      'list deployments v1 ns - -',
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/ns/deployments/d/status',
      'patch deployments v1 ns d status',
    ],
    [
      'GET',
      '/apis/networking.istio.io/v1beta1/virtualservices',
      'list virtualservices v1beta1 - - -',
    ],
    [
      'POST',
      '/apis/networking.istio.io/v1/namespaces/ns/virtualservices',
      'create virtualservices v1 ns - -',
    ],
    [
      'PUT',
      '/apis/networking.istio.io/v1/namespaces/ns/virtualservices/r',
      'update virtualservices v1 ns r -',
    ],
    [
      'DELETE',
      '/apis/networking.istio.io/v1/namespaces/ns/virtualservices/r',
      'delete virtualservices v1 ns r -',
    ],
    [
      'DELETE',
      '/apis/networking.istio.io/v1/namespaces/ns/virtualservices',
      'deletecollection virtualservices v1 ns - -',
    ],
    [
      'GET',
      '/apis/networking.istio.io/v1/namespaces/ns/virtualservices/r?watch=true',
      'watch virtualservices v1 ns r -',
    ],
  ])('%s %s -> %s', (method, path, expected) => {
    expect(summary(route(method, path))).toBe(expected);
  });
});
