import type { ClusterDetails } from './types';

/** What the backend says at start-up about where it reads rollouts from, and how. */
export function readingMessage(options: {
  configured: ClusterDetails[];
  /** Whether catalog Resources locate clusters too (istioRollouts.catalogClusters). */
  catalog: boolean;
  timeoutMs: number;
  watch: boolean;
}): string {
  const { configured, catalog, timeoutMs, watch } = options;
  if (!configured.length && !catalog) {
    return 'No clusters configured: set kubernetes.clusterLocatorMethods, istioRollouts.clusters or istioRollouts.catalogClusters';
  }
  const where =
    configured.map(c => `${c.name} (${c.url})`).join(', ') ||
    'no configured cluster';
  return `Reading Istio rollouts from ${where}${
    catalog ? ' and the clusters the catalog locates' : ''
  }; ${timeoutMs} ms per cluster; ${
    watch
      ? 'later reads of an entity from watches'
      : 'every read lists (istioRollouts.cache.watch: false)'
  }`;
}
