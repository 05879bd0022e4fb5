export interface Config {
  /** Configuration of the Istio Rollouts plugin. */
  istioRollouts?: {
    /**
     * Clusters the plugin reads and patches. When absent, the entries of
     * `kubernetes.clusterLocatorMethods` of `type: config` are used, as
     * Backstage's Kubernetes plugin does.
     */
    clusters?: Array<{
      /** Unique name of the cluster, shown in the UI. */
      name: string;
      /** Human-friendly title of the cluster. */
      title?: string;
      /** Base URL of the Kubernetes API server. */
      url: string;
      /** Only `serviceAccount` is supported. */
      authProvider?: 'serviceAccount';
      /**
       * Bearer token with rights to list and patch VirtualServices and DestinationRules.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * PEM-encoded certificate authority of the API server, base64-encoded.
       * @visibility secret
       */
      caData?: string;
      /** Path to the API server's certificate authority file. */
      caFile?: string;
      /** Skip TLS verification (never in production). */
      skipTLSVerify?: boolean;
    }>;
    /** Per-cluster timeout of a read, in milliseconds. Defaults to 5000. */
    clusterTimeoutMs?: number;
  };
}
