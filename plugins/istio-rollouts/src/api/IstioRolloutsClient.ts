import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  HistoryPage,
  ISTIO_ROLLOUTS_API_VERSION,
  ISTIO_ROLLOUTS_PLUGIN_ID,
  ActionRequest,
  PlanCommandRequest,
  PlanCommandResponse,
  PlansResponse,
  PortalHealthResponse,
  PortalRolloutsResponse,
  RolloutActionResponse,
  RolloutMetricsResponse,
  RolloutsResponse,
  StartPlanRequest,
  StartPlanResponse,
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
    return this.post(`${await this.rolloutsUrl(entity)}/actions`, request);
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

  async getPlans(
    entity: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<PlansResponse> {
    return this.request(`${await this.rolloutsUrl(entity)}/plans`, {
      signal: options?.signal,
    });
  }

  async startPlan(
    entity: CompoundEntityRef,
    request: StartPlanRequest,
  ): Promise<StartPlanResponse> {
    return this.post(`${await this.rolloutsUrl(entity)}/plans`, request);
  }

  async commandPlan(
    entity: CompoundEntityRef,
    planId: string,
    request: PlanCommandRequest,
  ): Promise<PlanCommandResponse> {
    return this.post(
      `${await this.rolloutsUrl(entity)}/plans/${encodeURIComponent(
        planId,
      )}/commands`,
      request,
    );
  }

  async getPortalRollouts(options?: {
    signal?: AbortSignal;
  }): Promise<PortalRolloutsResponse> {
    return this.request(await this.portalUrl(), { signal: options?.signal });
  }

  async getPortalHealth(options?: {
    signal?: AbortSignal;
  }): Promise<PortalHealthResponse> {
    return this.request(`${await this.portalUrl()}/health`, {
      signal: options?.signal,
    });
  }

  private async portalUrl(): Promise<string> {
    const base = await this.discoveryApi.getBaseUrl(ISTIO_ROLLOUTS_PLUGIN_ID);
    return `${base}/${ISTIO_ROLLOUTS_API_VERSION}/rollouts`;
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

  private post<T>(url: string, body: unknown): Promise<T> {
    return this.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(url: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
