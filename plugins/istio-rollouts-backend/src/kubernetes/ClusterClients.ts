import { ClusterDetails } from '../clusters';
import type { ClusterClient } from './ClusterClient';
import { KubeClusterClient } from './KubeClusterClient';

/** Makes the client of one cluster; injectable so tests can use fakes. */
export type ClusterClientFactory = (
  cluster: ClusterDetails,
) => Promise<ClusterClient>;

/**
 * One client (one KubeConfig) per cluster for the life of the backend, so
 * config is parsed and checked once rather than on every request.
 */
export class ClusterClients {
  private readonly clients = new Map<string, Promise<ClusterClient>>();

  constructor(
    private readonly factory: ClusterClientFactory = cluster =>
      KubeClusterClient.create(cluster),
  ) {}

  get(cluster: ClusterDetails): Promise<ClusterClient> {
    let client = this.clients.get(cluster.name);
    if (!client) {
      client = this.factory(cluster);
      // A failed creation is retried on the next request rather than cached.
      client.catch(() => this.clients.delete(cluster.name));
      this.clients.set(cluster.name, client);
    }
    return client;
  }
}
