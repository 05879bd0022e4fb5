import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  CLUSTER_RESOURCE_KIND,
  CLUSTER_RESOURCE_TYPE,
  locateCatalogClusters,
} from './catalogCluster';
import type { CatalogClustersConfig } from './catalogClustersConfig';
import type {
  ClusterDetails,
  ClusterSource,
  UnavailableCluster,
} from './types';

/** The catalog, read as the plugin itself, and what to look up in it. */
export interface CatalogClustersSource {
  catalog: CatalogService;
  auth: AuthService;
  config: CatalogClustersConfig;
}

/**
 * The clusters the plugin reads now: the configured ones, then those the catalog locates (see
 * {@link locateCatalogClusters}), as the last {@link ClusterRegistry.refresh} found them. A failed lookup keeps
 * the last ones found. Warnings are logged once while they hold, not on every refresh.
 */
export class ClusterRegistry implements ClusterSource {
  private readonly configured: ClusterDetails[];
  private readonly source?: CatalogClustersSource;
  private readonly logger: LoggerService;
  private clusters: ClusterDetails[];
  private unavailableClusters: UnavailableCluster[] = [];
  private warned = new Set<string>();
  private summary = '';
  /** Refreshes started and the latest one applied: an older lookup that ends late changes nothing. */
  private started = 0;
  private applied = 0;

  constructor(options: {
    configured: ClusterDetails[];
    /** Without it, only the configured clusters are read. */
    catalog?: CatalogClustersSource;
    logger: LoggerService;
  }) {
    this.configured = options.configured;
    this.source = options.catalog;
    this.logger = options.logger;
    this.clusters = options.configured;
  }

  list(): ClusterDetails[] {
    return this.clusters;
  }

  unavailable(): UnavailableCluster[] {
    return this.unavailableClusters;
  }

  /**
   * Looks the cluster Resources up in the catalog again, with the plugin's own credentials. Never throws;
   * answers false when the catalog could not be read (the last clusters found stay).
   */
  async refresh(): Promise<boolean> {
    const source = this.source;
    if (!source) return true;
    const run = ++this.started;
    let items;
    try {
      ({ items } = await source.catalog.getEntities(
        {
          filter: [
            {
              ...source.config.filter,
              kind: CLUSTER_RESOURCE_KIND,
              'spec.type': CLUSTER_RESOURCE_TYPE,
              [`metadata.annotations.${ANNOTATION_KUBERNETES_API_SERVER}`]:
                CATALOG_FILTER_EXISTS,
            },
          ],
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.title',
            'metadata.annotations',
            'spec.type',
          ],
        },
        { credentials: await source.auth.getOwnServiceCredentials() },
      ));
    } catch (e) {
      this.logger.warn(
        `Istio Rollouts: could not look up clusters in the catalog: ${e}; the ${
          this.clusters.length - this.configured.length
        } found before are used`,
      );
      return false;
    }
    if (run < this.applied) return true;
    this.applied = run;

    const located = locateCatalogClusters(items, {
      credentials: source.config.credentials,
      configured: this.configured.map(c => c.name),
    });
    this.clusters = [...this.configured, ...located.clusters];
    this.unavailableClusters = located.unavailable;
    this.report(located.warnings);
    return true;
  }

  /** Logs new warnings, and the catalog's clusters when they changed. */
  private report(warnings: string[]): void {
    const current = new Set(warnings);
    for (const warning of current) {
      if (!this.warned.has(warning)) this.logger.warn(warning);
    }
    this.warned = current;

    const found = this.clusters.slice(this.configured.length);
    const summary = `Istio Rollouts: clusters from the catalog: ${
      found
        .map(c => `${c.name} (${c.catalog?.entityRef}, ${c.url})`)
        .join(', ') || 'none'
    }${
      this.unavailableClusters.length
        ? `; without credentials, not contacted: ${this.unavailableClusters
            .map(c => c.name)
            .join(', ')}`
        : ''
    }`;
    if (summary !== this.summary) this.logger.info(summary);
    this.summary = summary;
  }
}
