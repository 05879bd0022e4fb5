/** A Kubernetes cluster the plugin reads, as configured. */
export interface ClusterDetails {
  /** Unique name; also the first segment of a rollout id. */
  name: string;
  title?: string;
  /** Base URL of the API server. */
  url: string;
  /**
   * Bearer token of the service account. Absent means the backend runs in a
   * cluster and reads its own mounted service account token.
   */
  serviceAccountToken?: string;
  /** Base64-encoded PEM certificate authority of the API server. */
  caData?: string;
  /** Path to the API server's certificate authority. */
  caFile?: string;
  skipTLSVerify: boolean;
  /**
   * Plain `http:` with a bearer token sends the token in clear text: allowed
   * only when the operator said so for this cluster (local simulators).
   */
  allowInsecureHttp: boolean;
  /**
   * The only namespaces whose objects the plugin reads and changes in this
   * cluster; every namespace when absent.
   */
  namespaces?: string[];
  /**
   * Writes carry `Impersonate-User` and `Impersonate-Group` for the acting
   * user, so Kubernetes RBAC decides as well as Backstage's permissions.
   */
  impersonate: boolean;
  /**
   * Set for a cluster read from a kubeconfig file: the context's user as client-node reads it (a token, client
   * certificates, an exec plugin), used instead of `serviceAccountToken`.
   */
  kubeconfigUser?: Record<string, unknown>;
  /**
   * Set for a cluster located in the catalog: the Resource that named it and the
   * `istioRollouts.catalogClusters.credentials` entry (by index) whose URL and credentials it uses.
   */
  catalog?: CatalogOrigin;
}

/** Where a catalog-located cluster came from. */
export interface CatalogOrigin {
  /** The `kind: Resource`, `spec.type: kubernetes-cluster` entity, e.g. `resource:default/prod-eu`. */
  entityRef: string;
  /** Index of its entry in `istioRollouts.catalogClusters.credentials`. */
  credentials: number;
}

/** A cluster the plugin knows of but cannot read, and why: shown as an error entry beside the others. */
export interface UnavailableCluster {
  name: string;
  title?: string;
  error: { reason: 'MissingCredentials'; message: string };
}

/**
 * The clusters to read, as they are now: configured ones never change, catalog-located ones are refreshed
 * while the backend runs. Readers ask on every read rather than keeping a copy.
 */
export interface ClusterSource {
  /** The clusters to read, configured ones first. */
  list(): ClusterDetails[];
  /** Clusters that are known but never contacted (a catalog Resource without credentials in config). */
  unavailable(): UnavailableCluster[];
}

/** A fixed list as a {@link ClusterSource}. */
export function staticClusterSource(clusters: ClusterDetails[]): ClusterSource {
  return { list: () => clusters, unavailable: () => [] };
}
