import { ClusterDetails } from '../clusters';
import type { ClusterClient } from './ClusterClient';
import { KubeClusterClient } from './KubeClusterClient';

/** Makes the client of one cluster; injectable so tests can use fakes. */
export type ClusterClientFactory = (
  cluster: ClusterDetails,
) => Promise<ClusterClient>;

/**
 * One client (one KubeConfig) per cluster for the life of the backend, so
 * config is parsed and checked once rather than on every request. A cluster
 * whose URL changed (a catalog Resource moved to another API server) gets a
 * new client.
 */
export class ClusterClients {
  private readonly clients = new Map<
    string,
    { url: string; client: Promise<ClusterClient> }
  >();

  constructor(
    private readonly factory: ClusterClientFactory = cluster =>
      KubeClusterClient.create(cluster),
  ) {}

  get(cluster: ClusterDetails): Promise<ClusterClient> {
    const known = this.clients.get(cluster.name);
    if (known?.url === cluster.url) return known.client;
    const client = this.factory(cluster);
    // A failed creation is retried on the next request rather than cached.
    client.catch(() => {
      if (this.clients.get(cluster.name)?.client === client) {
        this.clients.delete(cluster.name);
      }
    });
    this.clients.set(cluster.name, { url: cluster.url, client });
    return client;
  }
}
