import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  HistoryPage,
  ISTIO_ROLLOUTS_API_VERSION,
  ISTIO_ROLLOUTS_PLUGIN_ID,
  ActionRequest,
  RolloutActionResponse,
  RolloutMetricsResponse,
  RolloutsResponse,
} from '@internal/plugin-istio-rollouts-common';
import { IstioRolloutsApi } from './IstioRolloutsApi';

/**
 * Calls the Istio Rollouts backend through Backstage's discovery and fetch
 * APIs, so requests carry the user's Backstage token.
 * @public
 */
export class IstioRolloutsClient implements IstioRolloutsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getRollouts(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RolloutsResponse> {
    return this.request(await this.rolloutsUrl(entity), {
      signal: options?.signal,
    });
  }

  async getRolloutMetrics(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RolloutMetricsResponse> {
    return this.request(`${await this.rolloutsUrl(entity)}/metrics`, {
      signal: options?.signal,
    });
  }

  async runAction(
    entity: CompoundEntityRef,
    request: ActionRequest,
  ): Promise<RolloutActionResponse> {
    return this.request(`${await this.rolloutsUrl(entity)}/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getHistory(
    entity: CompoundEntityRef,
    options?: { limit?: number; cursor?: string },
  ): Promise<HistoryPage> {
    const query = new URLSearchParams();
    if (options?.limit !== undefined) query.set('limit', String(options.limit));
    if (options?.cursor) query.set('cursor', options.cursor);
    const qs = query.toString();
    return this.request(
      `${await this.rolloutsUrl(entity)}/history${qs ? `?${qs}` : ''}`,
    );
  }

  private async rolloutsUrl(entity: CompoundEntityRef): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl(ISTIO_ROLLOUTS_PLUGIN_ID);
    const path = [
      entity.kind.toLocaleLowerCase('en-US'),
      entity.namespace,
      entity.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    return `${base}/${ISTIO_ROLLOUTS_API_VERSION}/entities/${path}/rollouts`;
  }

  private async request<T>(url: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
