import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CompoundEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '../selection';
import {
  buildClaimSnapshot,
  ClaimedObject,
  ClaimSnapshot,
} from './claimSnapshot';

export interface ClaimIndexOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** How long a loaded snapshot is served; 10 s by default. */
  ttlMs?: number;
  now?: () => number;
  logger?: LoggerService;
}

/**
 * Knows which catalog entities claim which Kubernetes objects, so an object
 * claimed by several (a copied kubernetes-id, an overlapping selector) can be
 * made read-only for all of them. It reads the catalog with the plugin's own
 * credentials: a claim counts even when the caller cannot see its entity.
 *
 * The snapshot is per replica and short-lived: concurrent callers share one
 * load, and a failed load is thrown, not cached, so callers fail closed.
 */
export class ClaimIndex {
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly logger?: LoggerService;
  private cached?: { snapshot: ClaimSnapshot; loadedAt: number };
  private loading?: Promise<ClaimSnapshot>;

  constructor(options: ClaimIndexOptions) {
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
  }

  /** The claims, loaded at most once per ttl; match many objects with it. */
  snapshot(): Promise<ClaimSnapshot> {
    if (this.cached && this.now() - this.cached.loadedAt < this.ttlMs) {
      return Promise.resolve(this.cached.snapshot);
    }
    if (!this.loading) {
      // The ttl counts from the start of the load: the data is no older.
      const startedAt = this.now();
      this.loading = this.load()
        .then(snapshot => {
          this.cached = { snapshot, loadedAt: startedAt };
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  /** The sorted refs of the entities whose selection selects the object. */
  async claimants(object: ClaimedObject): Promise<string[]> {
    return (await this.snapshot()).claimantsOf(object);
  }

  /** The claimants other than `entityRef`: non-empty means `SharedClaim`. */
  async sharedClaim(
    entityRef: string | CompoundEntityRef,
    object: ClaimedObject,
  ): Promise<string[]> {
    return (await this.snapshot()).otherClaimants(entityRef, object);
  }

  // One request rather than cursor pages: one consistent view of the claims
  // (no entity missed or counted twice while pages move), one round trip,
  // and only four small fields per entity even for thousands of them.
  private async load(): Promise<ClaimSnapshot> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const { items } = await this.catalog.getEntities(
      {
        // An array of filters is OR: entities with either annotation.
        filter: [
          {
            [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
              CATALOG_FILTER_EXISTS,
          },
          {
            [`metadata.annotations.${ANNOTATION_KUBERNETES_LABEL_SELECTOR}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const snapshot = buildClaimSnapshot(items);
    this.logger?.debug(
      `Loaded the claims of ${snapshot.claimantCount} catalog entities ` +
        `(${snapshot.refusedCount} refused for invalid or unsafe annotations)`,
    );
    return snapshot;
  }
}
