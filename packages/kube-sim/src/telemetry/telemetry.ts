/*
 * The simulated mesh of one cluster: the traffic model applied to the
 * store's live objects, integrated over time into Istio's counters.
 *
 * Rates change only when the objects do. `sync()` notices a change (the
 * store's resourceVersion moved on): it first counts the time since the last
 * reading at the old rates, then recomputes them, so a weight change takes
 * effect from the moment it is noticed. The HTTP server syncs after every
 * request it serves, which makes changes made through the API (or
 * `sim.loadManifests`) effective at once; changes made on the store directly
 * are noticed at the next request or scrape.
 *
 * Nothing is computed before the first reading (`scrape()`, `series()` or
 * `traffic()`), so a simulator nobody scrapes pays nothing for it; the first
 * reading counts from the simulator's start as though the objects then had
 * been there all along.
 */
import type { KubeObject } from '../objects';
import { resourceKey, RESOURCE_TYPES, ResourceType } from '../resources';
import type { Store } from '../store';
import { CounterSeries, MeshCounters } from './counters';
import { renderExposition } from './exposition';
import { computeTraffic, MeshObjects, WorkloadTraffic } from './model';

export interface MeshTelemetryOptions {
  /** Milliseconds since some epoch; `Date.now` by default. Injectable for tests. */
  clock?: () => number;
  /** The cluster DNS domain of service FQDNs; `cluster.local` by default. */
  clusterDomain?: string;
}

function typeOf(kind: string): ResourceType {
  return RESOURCE_TYPES.find(t => t.kind === kind)!;
}

const TYPES = {
  virtualServices: typeOf('VirtualService'),
  destinationRules: typeOf('DestinationRule'),
  deployments: typeOf('Deployment'),
  services: typeOf('Service'),
};
const RELEVANT = new Set(Object.values(TYPES).map(resourceKey));

export class MeshTelemetry {
  private readonly counters = new MeshCounters();
  private readonly clock: () => number;
  private readonly clusterDomain?: string;
  /** The time counted up to, in ms. */
  private last: number;
  /** The store version the rates were computed at; undefined before the first reading. */
  private rv: string | undefined;
  private rates: WorkloadTraffic[] = [];

  constructor(
    private readonly store: Store,
    options: MeshTelemetryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.clusterDomain = options.clusterDomain;
    this.last = this.clock();
  }

  /**
   * Notices changes of the store since the last call: counts the time
   * elapsed at the old rates, then recomputes them. Cheap when nothing
   * changed; does nothing before the first reading.
   */
  sync(): void {
    if (this.rv === undefined || this.store.resourceVersion === this.rv) return;
    this.advance();
    const events = this.store.eventsSince(Number(this.rv));
    // Changes of other kinds (namespaces, pods…) leave the rates as they are.
    if (events && !events.some(e => RELEVANT.has(e.key))) {
      this.rv = this.store.resourceVersion;
      return;
    }
    this.recompute();
  }

  /** Counts up to now and answers every series. */
  series(): CounterSeries[] {
    this.read();
    this.advance();
    return this.counters.snapshot();
  }

  /** The exposition text `GET /metrics` answers. */
  scrape(): string {
    return renderExposition(this.series(), this.counters.bounds);
  }

  /** The current rates, per workload and destination service. */
  traffic(): WorkloadTraffic[] {
    this.read();
    return this.rates.map(t => ({ ...t }));
  }

  private read() {
    if (this.rv === undefined) this.recompute();
    else this.sync();
  }

  private advance() {
    const now = this.clock();
    if (now > this.last) {
      this.counters.add(this.rates, (now - this.last) / 1000);
      this.last = now;
    }
  }

  private objects(): MeshObjects {
    const list = (type: ResourceType): KubeObject[] => this.store.list(type);
    return {
      virtualServices: list(TYPES.virtualServices),
      destinationRules: list(TYPES.destinationRules),
      deployments: list(TYPES.deployments),
      services: list(TYPES.services),
    };
  }

  private recompute() {
    this.rv = this.store.resourceVersion;
    const objects = this.objects();
    this.rates = computeTraffic(objects, {
      clusterDomain: this.clusterDomain,
    });
    const live = new Set(
      objects.deployments.map(
        d => `${d.metadata.namespace ?? 'default'}/${d.metadata.name}`,
      ),
    );
    this.counters.retain((ns, name) => live.has(`${ns}/${name}`));
  }
}
