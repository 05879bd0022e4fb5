import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { RolloutMetricsResponse } from '@internal/plugin-istio-rollouts-common';
import type { RolloutMetricsReader } from '../metrics';
import type { EntityRolloutsService } from './EntityRolloutsService';

/**
 * Answers "how healthy are this entity's canaries": the entity's rollouts
 * come from {@link EntityRolloutsService} (the same catalog load and
 * `istio-rollouts.traffic.read` check, the same watch cache), then every
 * cluster's Prometheus is asked about their workloads. A denied caller costs
 * neither Kubernetes nor Prometheus anything.
 */
export class EntityMetricsService {
  private readonly rollouts: Pick<EntityRolloutsService, 'readRollouts'>;
  private readonly reader: Pick<RolloutMetricsReader, 'read'>;

  constructor(options: {
    rollouts: Pick<EntityRolloutsService, 'readRollouts'>;
    reader: Pick<RolloutMetricsReader, 'read'>;
  }) {
    this.rollouts = options.rollouts;
    this.reader = options.reader;
  }

  async getMetrics(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutMetricsResponse> {
    const read = await this.rollouts.readRollouts(ref, credentials);
    return this.reader.read(read.entityRef, read.rollouts, read.clusters);
  }
}
