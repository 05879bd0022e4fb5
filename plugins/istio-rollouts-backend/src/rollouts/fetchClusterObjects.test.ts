import { ApiException } from '@kubernetes/client-node';
import { IstioVersionCache, NamespaceCache } from '../kubernetes';
import { fetchClusterObjects } from './fetchClusterObjects';
import {
  fakeClusterClient,
  kubeObject,
  listing,
} from '../__testUtils__/clusterClients';

const selection = { labelSelector: 'backstage.io/kubernetes-id=reviews' };
const signal = new AbortController().signal;

describe('fetchClusterObjects', () => {
  it('lists every kind with the selector at the discovered version, then reads the VirtualServices’ namespaces', async () => {
    const client = fakeClusterClient({
      list: listing({
        virtualservices: [
          kubeObject('VirtualService', 'reviews', 'bookinfo'),
          kubeObject('VirtualService', 'reviews-b', 'bookinfo'),
          kubeObject('VirtualService', 'legacy'),
        ],
        destinationrules: [
          kubeObject('DestinationRule', 'reviews', 'bookinfo'),
        ],
        deployments: [kubeObject('Deployment', 'reviews-v1', 'bookinfo')],
        services: [kubeObject('Service', 'reviews', 'bookinfo')],
      }),
    });

    const objects = await fetchClusterObjects({
      cluster: 'east',
      client,
      versions: new IstioVersionCache(),
      namespaces: new NamespaceCache(),
      selection,
      signal,
    });

    expect(objects).toEqual({
      cluster: 'east',
      istioVersion: 'v1',
      virtualServices: [
        kubeObject('VirtualService', 'reviews', 'bookinfo'),
        kubeObject('VirtualService', 'reviews-b', 'bookinfo'),
        kubeObject('VirtualService', 'legacy'),
      ],
      destinationRules: [kubeObject('DestinationRule', 'reviews', 'bookinfo')],
      deployments: [kubeObject('Deployment', 'reviews-v1', 'bookinfo')],
      services: [kubeObject('Service', 'reviews', 'bookinfo')],
      namespaces: [
        kubeObject('Namespace', 'bookinfo'),
        kubeObject('Namespace', 'default'),
      ],
    });
    const list = { ...selection, signal };
    expect(client.list).toHaveBeenCalledWith('virtualservices', {
      ...list,
      version: 'v1',
    });
    expect(client.list).toHaveBeenCalledWith('destinationrules', {
      ...list,
      version: 'v1',
    });
    expect(client.list).toHaveBeenCalledWith(
      'deployments',
      expect.objectContaining(list),
    );
    expect(client.list).toHaveBeenCalledWith(
      'services',
      expect.objectContaining(list),
    );
    expect(client.getNamespace.mock.calls.map(c => c[0])).toEqual([
      'bookinfo',
      'default',
    ]);
  });

  it('passes the entity namespace to every list', async () => {
    const client = fakeClusterClient();
    await fetchClusterObjects({
      cluster: 'east',
      client,
      versions: new IstioVersionCache(),
      namespaces: new NamespaceCache(),
      selection: { ...selection, namespace: 'bookinfo' },
      signal,
    });
    const list = { ...selection, namespace: 'bookinfo', signal };
    expect(client.list).toHaveBeenCalledWith('virtualservices', {
      ...list,
      version: 'v1',
    });
    expect(client.list).toHaveBeenCalledWith(
      'deployments',
      expect.objectContaining(list),
    );
  });

  it('lists workloads while discovery is still running', async () => {
    let discovered: (versions: string[]) => void = () => {};
    const client = fakeClusterClient({
      getIstioVersions: () =>
        new Promise<string[]>(resolve => (discovered = resolve)),
    });
    const pending = fetchClusterObjects({
      cluster: 'east',
      client,
      versions: new IstioVersionCache(),
      namespaces: new NamespaceCache(),
      selection,
      signal,
    });
    await Promise.resolve();
    expect(client.list.mock.calls.map(c => c[0]).sort()).toEqual([
      'deployments',
      'services',
    ]);
    discovered(['v1beta1']);
    expect((await pending).istioVersion).toBe('v1beta1');
  });

  it('discovers again and retries once when a list at the cached version answers 404', async () => {
    const versions = new IstioVersionCache();
    await versions.get('east', async () => ['v1']);
    const client = fakeClusterClient({
      getIstioVersions: async () => ['v1beta1'],
      list: async (kind, { version }) => {
        if (kind === 'virtualservices' && version === 'v1')
          throw new ApiException(404, 'gone', '', {});
        return { items: [], resourceVersion: '1' };
      },
    });
    const objects = await fetchClusterObjects({
      cluster: 'east',
      client,
      versions,
      namespaces: new NamespaceCache(),
      selection,
      signal,
    });
    expect(objects.istioVersion).toBe('v1beta1');
    expect(client.getIstioVersions).toHaveBeenCalledTimes(1);
  });

  it('does not retry other failures', async () => {
    const forbidden = new ApiException(403, 'forbidden', '', {});
    const client = fakeClusterClient({
      list: async kind => {
        if (kind === 'virtualservices') throw forbidden;
        return { items: [], resourceVersion: '1' };
      },
    });
    await expect(
      fetchClusterObjects({
        cluster: 'east',
        client,
        versions: new IstioVersionCache(),
        namespaces: new NamespaceCache(),
        selection,
        signal,
      }),
    ).rejects.toBe(forbidden);
    expect(client.getIstioVersions).toHaveBeenCalledTimes(1);
  });

  it('fails with IstioNotInstalled without listing Istio objects when the cluster has no Istio API', async () => {
    const client = fakeClusterClient({
      getIstioVersions: async () => undefined,
    });
    await expect(
      fetchClusterObjects({
        cluster: 'plain',
        client,
        versions: new IstioVersionCache(),
        namespaces: new NamespaceCache(),
        selection,
        signal,
      }),
    ).rejects.toMatchObject({ reason: 'IstioNotInstalled' });
    expect(client.list.mock.calls.map(c => c[0])).not.toContain(
      'virtualservices',
    );
  });
});
