import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HistoryPage,
  istioRolloutsTrafficReadPermission,
} from '@internal/plugin-istio-rollouts-common';
import type { HistoryStore } from '../history/HistoryStore';
import { loadAuthorizedEntity } from '../permissions';

/**
 * Answers "what was done to this entity's traffic, by whom": its history,
 * newest first, to callers who may read its rollouts.
 */
export class EntityHistoryService {
  private readonly catalog: CatalogService;
  private readonly permissions: PermissionsService;
  private readonly history: HistoryStore;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    history: HistoryStore;
  }) {
    this.catalog = options.catalog;
    this.permissions = options.permissions;
    this.history = options.history;
  }

  async getHistory(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    page: { limit?: number; cursor?: string },
  ): Promise<HistoryPage> {
    const entity = await loadAuthorizedEntity({
      catalog: this.catalog,
      permissions: this.permissions,
      ref,
      credentials,
      permission: istioRolloutsTrafficReadPermission,
    });
    const entityRef = stringifyEntityRef(entity);
    return this.history.list(entityRef, page);
  }
}
