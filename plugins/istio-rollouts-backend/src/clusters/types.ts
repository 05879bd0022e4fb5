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
}
