import type { KubeObject } from '@internal/plugin-istio-rollouts-common';
import { routeChangedBy } from './changedBy';

const entry = (
  manager: string,
  time: string,
  fieldsV1: object,
  operation = 'Update',
) => ({
  manager,
  operation,
  apiVersion: 'networking.istio.io/v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1,
});

const vs = (managedFields?: unknown[]): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: {
    name: 'reviews',
    namespace: 'bookinfo',
    ...(managedFields && { managedFields }),
  } as KubeObject['metadata'],
});

describe('routeChangedBy', () => {
  it('names the manager that owns the route list, with its operation and time', () => {
    const object = vs([
      entry('kubectl-client-side-apply', '2026-12-14T11:00:00Z', {
        'f:metadata': { 'f:labels': {} },
        'f:spec': { 'f:hosts': {}, 'f:gateways': {} },
      }),
      entry('kubectl-patch', '2026-12-14T12:00:05Z', {
        'f:spec': { 'f:http': {} },
      }),
      // Newer, but about labels only.
      entry('kubectl-label', '2026-12-14T12:30:00Z', {
        'f:metadata': { 'f:labels': {} },
      }),
    ]);
    expect(routeChangedBy(object, 'http')).toEqual({
      by: 'kubectl-patch',
      operation: 'Update',
      changedAt: '2026-12-14T12:00:05Z',
    });
  });

  it('counts an entry that owns all of spec, and takes the newest of several owners', () => {
    const object = vs([
      entry(
        'argocd-controller',
        '2026-12-14T10:00:00Z',
        { 'f:spec': { 'f:tcp': {} } },
        'Apply',
      ),
      entry('helm', '2026-12-14T09:00:00Z', { 'f:spec': {} }),
      entry('flagger', '2026-12-14T11:00:00Z', { 'f:spec': { 'f:http': {} } }),
    ]);
    expect(routeChangedBy(object, 'http').by).toBe('flagger');
    expect(routeChangedBy(object, 'tcp').by).toBe('argocd-controller');
    expect(routeChangedBy(object, 'tls').by).toBe('helm');
  });

  it('falls back to the newest Update entry when no entry owns the routes', () => {
    const object = vs([
      entry('a', '2026-12-14T10:00:00Z', { 'f:metadata': {} }),
      entry('b', '2026-12-14T12:00:00Z', { 'f:metadata': {} }),
      entry('c', '2026-12-14T13:00:00Z', { 'f:metadata': {} }, 'Apply'),
    ]);
    expect(routeChangedBy(object, 'http')).toEqual({
      by: 'b',
      operation: 'Update',
      changedAt: '2026-12-14T12:00:00Z',
    });
  });

  it('knows nothing without managedFields, or from malformed ones', () => {
    expect(routeChangedBy(vs(), 'http')).toEqual({});
    expect(routeChangedBy(vs(['x', null, { manager: 7 }]), 'http')).toEqual({});
  });
});
