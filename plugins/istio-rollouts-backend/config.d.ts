export interface Config {
  /**
   * The cluster list of Backstage's Kubernetes plugin. Istio Rollouts reads its
   * `type: config` entries when `istioRollouts.clusters` is not set. Declared
   * here (compatibly with that plugin) so the config is validated and its
   * secrets kept from the frontend even when that plugin is not installed.
   */
  kubernetes?: {
    /** How the Kubernetes plugin finds an entity's services. Not used by Istio Rollouts. */
    serviceLocatorMethod?: {
      type: string;
    };
    /** Where clusters come from; Istio Rollouts reads the `type: config` entries. */
    clusterLocatorMethods?: Array<{
      /** `config` for a static list; other types (catalog, gke, …) are ignored by Istio Rollouts. */
      type: string;
      /** The clusters of a `type: config` locator. */
      clusters?: Array<{
        /** Unique name of the cluster. */
        name: string;
        /** Human-friendly title of the cluster. */
        title?: string;
        /** Base URL of the Kubernetes API server. */
        url: string;
        /** How to authenticate; Istio Rollouts supports `serviceAccount` only. */
        authProvider: string;
        /**
         * Service account token to talk to the API server with.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM certificate authority of the API server.
         * @visibility secret
         */
        caData?: string;
        /** Path to a PEM certificate authority file of the API server. */
        caFile?: string;
        /** Skip TLS verification of the API server (never in production). */
        skipTLSVerify?: boolean;
        /**
         * Istio Rollouts refuses an `http:` url at startup (the token would
         * travel in clear text) unless this is true: local simulators only.
         */
        allowInsecureHttp?: boolean;
      }>;
    }>;
  };

  /** Configuration of the Istio Rollouts plugin. */
  istioRollouts?: {
    /**
     * Clusters the plugin reads and patches. When set, it replaces the
     * `type: config` entries of `kubernetes.clusterLocatorMethods` entirely:
     * the plugin needs a token that may patch VirtualServices, which the
     * read-only Kubernetes plugin usually doesn't have.
     */
    clusters?: Array<{
      /** Unique name of the cluster, shown in the UI and part of each rollout id. */
      name: string;
      /** Human-friendly title of the cluster. */
      title?: string;
      /** Base URL of the Kubernetes API server; from the kubeconfig when `kubeconfig` is set. */
      url?: string;
      /**
       * A kubeconfig file to reach the cluster with, as kubectl does (local development against kind or minikube):
       * its server, certificate authority and user (token, client certificates, exec plugin). Its credentials stay
       * in the backend.
       */
      kubeconfig?: string;
      /** The kubeconfig's context to use; its current context by default. */
      context?: string;
      /** Only `serviceAccount` is supported, and it is the default. */
      authProvider?: 'serviceAccount';
      /**
       * Bearer token with rights to list and patch VirtualServices and
       * DestinationRules. Without it the backend uses its own in-cluster
       * service account token.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64-encoded PEM certificate authority of the API server.
       * @visibility secret
       */
      caData?: string;
      /** Path to a PEM certificate authority file of the API server. */
      caFile?: string;
      /** Skip TLS verification of the API server (never in production). */
      skipTLSVerify?: boolean;
      /**
       * An `http:` url is refused at startup (the token would travel in
       * clear text, to a server nobody verified) unless this is true: for
       * local simulators only.
       */
      allowInsecureHttp?: boolean;
      /**
       * The only namespaces of this cluster whose objects the plugin reads
       * and changes; objects elsewhere are never shown nor patched, whatever
       * an entity's annotations say. Every namespace when absent.
       */
      namespaces?: string[];
      /**
       * Send writes as the acting user: `Impersonate-User: <user entity
       * ref>` and one `Impersonate-Group` per ownership group, so the
       * cluster's RBAC decides too. The plugin's service account then needs
       * the `impersonate` verb on users and groups, and the users or groups
       * need `patch` on VirtualServices and DestinationRules where they may
       * act. Defaults to false.
       */
      impersonate?: boolean;
      /**
       * This cluster's Prometheus, for canary health. It replaces
       * `istioRollouts.prometheus` for this cluster entirely, credentials
       * included.
       */
      prometheus?: {
        /**
         * Base URL of the Prometheus HTTP API (Prometheus, Thanos Query, Mimir…),
         * e.g. `http://prometheus.istio-system:9090`; a path prefix is kept
         * (`https://thanos.example.com/api/prom`). Plain `http:` is allowed: a
         * Prometheus inside the cluster usually is. No credentials in the URL:
         * use `bearerToken` or `basicAuth`.
         */
        url: string;
        /**
         * For one Prometheus (or Thanos) holding several clusters: the label
         * that tells them apart. Every query of a cluster then selects
         * `<clusterLabel>="<cluster name>"`, the cluster's `name` here.
         */
        clusterLabel?: string;
        /** How long one query may take, in milliseconds. Defaults to 3000. */
        timeoutMs?: number;
        /**
         * Sent as `Authorization: Bearer <bearerToken>`.
         * @visibility secret
         */
        bearerToken?: string;
        /** HTTP basic authentication; not together with `bearerToken`. */
        basicAuth?: {
          username: string;
          /**
           * @visibility secret
           */
          password: string;
        };
        /**
         * Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir
         * or Cortex.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      };
    }>;
    /**
     * Clusters located in the catalog, besides the configured ones: `kind: Resource` entities of
     * `spec.type: kubernetes-cluster` with the Kubernetes plugin's `kubernetes.io/api-server` annotation. A
     * Resource only says where a cluster is: the backend contacts it only when `credentials` has an entry for
     * exactly that API server URL, and sends only that entry's token. A Resource with no matching entry is shown
     * as unavailable and never contacted; a Resource named like a configured cluster is ignored.
     */
    catalogClusters?: {
      /** How often the catalog is asked again, in seconds. Defaults to 60. */
      refreshIntervalSeconds?: number;
      /**
       * More catalog filter fields the Resources must match, e.g. `{ spec.owner: group:default/platform }`; a
       * list of values matches any of them. `kind` and `spec.type` are always `Resource` and
       * `kubernetes-cluster`.
       */
      filter?: { [field: string]: string | string[] };
      /** The API servers the backend may contact, and what it sends to each. */
      credentials?: Array<{
        /**
         * The API server URL, compared with a Resource's `kubernetes.io/api-server` (scheme, host, port and
         * path; a trailing slash and the default port don't matter). These credentials go to this URL only.
         */
        apiServer: string;
        /**
         * Bearer token with rights to list and patch VirtualServices and DestinationRules. Without it the
         * backend uses its own in-cluster service account token.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM certificate authority of the API server. A Resource's
         * `kubernetes.io/api-server-certificate-authority` is ignored.
         * @visibility secret
         */
        caData?: string;
        /** Path to a PEM certificate authority file of the API server. */
        caFile?: string;
        /** Skip TLS verification of the API server (never in production); a Resource cannot ask for it. */
        skipTLSVerify?: boolean;
        /**
         * An `http:` apiServer is refused at startup (the token would travel in clear text) unless this is
         * true: for local simulators only.
         */
        allowInsecureHttp?: boolean;
        /** The only namespaces of this cluster the plugin reads and changes; every namespace when absent. */
        namespaces?: string[];
        /** Send writes as the acting user, as `istioRollouts.clusters[].impersonate`. Defaults to false. */
        impersonate?: boolean;
        /**
         * This cluster's Prometheus, for canary health; `istioRollouts.prometheus` when absent.
         */
        prometheus?: {
          /** Base URL of the Prometheus HTTP API; no credentials in the URL. */
          url: string;
          /** The label that tells clusters apart in a Prometheus holding several (values: cluster names). */
          clusterLabel?: string;
          /** How long one query may take, in milliseconds. Defaults to 3000. */
          timeoutMs?: number;
          /**
           * Sent as `Authorization: Bearer <bearerToken>`.
           * @visibility secret
           */
          bearerToken?: string;
          /** HTTP basic authentication; not together with `bearerToken`. */
          basicAuth?: {
            username: string;
            /**
             * @visibility secret
             */
            password: string;
          };
          /**
           * Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir or Cortex.
           * @visibility secret
           */
          headers?: { [name: string]: string };
        };
      }>;
    };
    /**
     * GitOps mode: for VirtualServices Argo CD or Flux sync from one of these repositories, an action becomes a
     * commit on a new branch or a pull request to that repository instead of a patch of the cluster. Without it,
     * such VirtualServices are patched directly, with a warning that the next sync may revert the change.
     */
    gitops?: {
      /** Where Argo CD's Applications are when a tracking id names none. Defaults to `argocd`. */
      argoCdNamespace?: string;
      /** Who the plugin's commits are committed by; the author is the user who made the change. */
      committer?: { name?: string; email?: string };
      repositories?: Array<{
        /**
         * The repository's URL as the Application or GitRepository names it (`.git`, a trailing slash and the
         * host's case don't matter), or a prefix ending in `*`, e.g. `https://github.com/acme/*`.
         */
        url: string;
        /**
         * `pullRequest`: a pull request on GitHub, with the credentials of `integrations.github`; `branch` (the
         * default): a commit pushed to a new branch, on any git remote.
         */
        delivery?: 'pullRequest' | 'branch';
        /** Branches the plugin pushes start with this. Defaults to `istio-rollouts/`. */
        branchPrefix?: string;
        /**
         * Patch the cluster directly instead, as without GitOps mode: only where the GitOps tool leaves the
         * plugin's field manager alone (see the README). Defaults to false.
         */
        allowDirectPatch?: boolean;
        /** What git sends to the remote for `branch` delivery over HTTP(S). */
        auth?: {
          /** @visibility secret */
          token?: string;
          username?: string;
          /** @visibility secret */
          password?: string;
        };
      }>;
    };
    /**
     * Require the namespace's consent before an entity may change traffic
     * there: the Namespace must carry the annotation
     * `istio-rollouts.backstage.io/entities` listing the entity's ref
     * (comma-separated refs, e.g. `component:default/reviews`). Without it
     * the entity's rollouts in that namespace are read-only. Defaults to
     * false.
     */
    requireNamespaceConsent?: boolean;
    /**
     * How long one cluster may take to answer a read, or one patch of an
     * action, in milliseconds; a slower cluster is reported as timed out
     * while the others answer. Defaults to 5000.
     */
    clusterTimeoutMs?: number;
    /**
     * Where Istio's standard telemetry is, for canary health (requests,
     * success rate and latency per subset): the Prometheus of every cluster
     * that has none of its own in `istioRollouts.clusters`, those of the
     * Kubernetes plugin's config included. Without it, canary health shows
     * the clusters as not configured.
     */
    prometheus?: {
      /**
       * Base URL of the Prometheus HTTP API (Prometheus, Thanos Query, Mimir…),
       * e.g. `http://prometheus.istio-system:9090`; a path prefix is kept
       * (`https://thanos.example.com/api/prom`). Plain `http:` is allowed: a
       * Prometheus inside the cluster usually is. No credentials in the URL:
       * use `bearerToken` or `basicAuth`.
       */
      url: string;
      /**
       * For one Prometheus (or Thanos) holding several clusters: the label
       * that tells them apart. Every query of a cluster then selects
       * `<clusterLabel>="<cluster name>"`, the cluster's `name` here.
       */
      clusterLabel?: string;
      /** How long one query may take, in milliseconds. Defaults to 3000. */
      timeoutMs?: number;
      /**
       * Sent as `Authorization: Bearer <bearerToken>`.
       * @visibility secret
       */
      bearerToken?: string;
      /** HTTP basic authentication; not together with `bearerToken`. */
      basicAuth?: {
        username: string;
        /**
         * @visibility secret
         */
        password: string;
      };
      /**
       * Extra request headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir
       * or Cortex.
       * @visibility secret
       */
      headers?: { [name: string]: string };
    };
    /**
     * How canaries are judged against their stable subset, and how their
     * series are drawn.
     */
    canaryAnalysis?: {
      /** Minimum share of non-5xx answers of the canary, 0 to 1. Defaults to 0.99. */
      minSuccessRate?: number;
      /** Maximum p99 latency of the canary, in milliseconds. Defaults to 500. */
      maxLatencyP99Ms?: number;
      /**
       * Fewer canary requests than this in the window, and the verdict is
       * "not enough traffic". Defaults to 50.
       */
      minRequests?: number;
      /** The rate window of every figure, in seconds. Defaults to 60. */
      windowSeconds?: number;
      /** The span of the series, in seconds. Defaults to 1800 (30 minutes). */
      rangeSeconds?: number;
      /** The step of the series, in seconds. Defaults to 30. */
      stepSeconds?: number;
      /**
       * How long an entity's figures from one cluster are reused before
       * Prometheus is asked again, in seconds. Defaults to 10; 0 asks on
       * every read.
       */
      cacheSeconds?: number;
    };
    /**
     * Step plans: setWeight / pause / analysis steps on one route, run by the
     * backend's scheduler (one replica at a time on a shared database).
     */
    plans?: {
      /**
       * Plans people pick in the tab, e.g. `10-25-50-100 every 5 min with
       * analysis`. Analysis fields left out take `canaryAnalysis`'s.
       */
      templates?: Array<{
        /** Unique, at most 63 characters. */
        name: string;
        description?: string;
        /** What a failed analysis does: roll back, or pause for a person. */
        onFailure: 'rollback' | 'pause';
        /** Each step is exactly one of `setWeight`, `pause`, `analysis`. */
        steps: Array<{
          /** The canary's share, 0 to 100. */
          setWeight?: number;
          /** A timed pause, or `{}`: wait for a person. */
          pause?: { durationSeconds?: number };
          analysis?: {
            minSuccessRate?: number;
            maxLatencyP99Ms?: number;
            minRequests?: number;
            windowSeconds?: number;
            intervalSeconds?: number;
            /** Healthy measurements needed to pass. */
            count?: number;
            /** Failing measurements that fail the step. */
            failureLimit?: number;
          };
        }>;
      }>;
      /** How often running plans are looked at, in seconds (1–60). Defaults to 5. */
      tickSeconds?: number;
      /**
       * Allow plans on VirtualServices Argo CD or Flux track. Set it only once
       * their sync ignores the fields the plugin's field manager
       * (`backstage-istio-rollouts`) sets; otherwise each step is reverted.
       * Defaults to false.
       */
      allowGitOpsManaged?: boolean;
    };
    /**
     * Per-replica caches. Kubernetes stays the source of truth: every write
     * is guarded by the resourceVersion the user saw, and every action is
     * authorized again when it is taken.
     */
    cache?: {
      /**
       * After an entity's first read in a cluster, keep its objects up to
       * date with label-selected watches and answer later reads from memory
       * (dropped after 10 minutes without a read). Defaults to true; false
       * lists from every cluster on every read.
       */
      watch?: boolean;
      /**
       * How long the actions offered to a user on an entity (the buttons the
       * tab enables) are reused before the permission policy is asked again,
       * in milliseconds. Defaults to 10000; 0 asks on every read.
       */
      allowedActionsTtlMs?: number;
      /**
       * How long the catalog's claims (which entities select which
       * Kubernetes objects, to find objects claimed by several entities) are
       * reused, in milliseconds. Defaults to 10000.
       */
      claimsTtlMs?: number;
      /**
       * How long a cluster that stops answering (timeout, unreachable, 5xx,
       * not Kubernetes JSON) still shows an entity's rollouts as this replica
       * last read them, marked stale and read-only, in milliseconds. Defaults
       * to 900000 (15 minutes); 0 shows none.
       */
      lastKnownMaxAgeMs?: number;
    };
  };
}
