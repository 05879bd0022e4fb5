/*
 * Injected faults for Kubernetes requests (never /_sim/ ones). A fault has
 * optional filters (verb, resource, namespace) and effects (latency, an error
 * status, dropping the connection). `times` ends it after that many
 * applications; `fraction` applies it to that share of matching requests.
 * With `after`, the effects come after the request was served: a write is
 * made, and then its answer is delayed, replaced by the status, or dropped,
 * as when an API server commits a change and the answer is lost on the way.
 */

export const FAULT_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
];

export interface FaultSpec {
  verb?: string;
  resource?: string;
  namespace?: string;
  latencyMs?: number;
  status?: number;
  drop?: boolean;
  times?: number;
  fraction?: number;
  /** The effects come after the request was served (not for watches). */
  after?: boolean;
}

export interface Fault extends FaultSpec {
  id: string;
  /** How many requests the fault has been applied to. */
  applied: number;
}

export interface FaultTarget {
  verb: string;
  /** Plural, e.g. `virtualservices`; undefined for discovery. */
  resource?: string;
  subresource?: string;
  namespace?: string;
}

export interface FaultEffect {
  latencyMs: number;
  status?: number;
  drop: boolean;
  faultIds: string[];
  /** What happens to the answer of a request that was served: the faults with `after`. */
  after?: {
    latencyMs: number;
    status?: number;
    drop: boolean;
  };
}

export class FaultSpecError extends Error {}

const KEYS = new Set([
  'verb',
  'resource',
  'namespace',
  'latencyMs',
  'status',
  'drop',
  'times',
  'fraction',
  'after',
]);

export function validateFaultSpec(raw: unknown): FaultSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FaultSpecError('a fault must be a JSON object');
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!KEYS.has(k)) throw new FaultSpecError(`unknown fault field "${k}"`);
  }
  const spec: FaultSpec = {};
  if (r.verb !== undefined) {
    if (typeof r.verb !== 'string' || !FAULT_VERBS.includes(r.verb)) {
      throw new FaultSpecError(`verb must be one of ${FAULT_VERBS.join(', ')}`);
    }
    spec.verb = r.verb;
  }
  for (const k of ['resource', 'namespace'] as const) {
    if (r[k] !== undefined) {
      if (typeof r[k] !== 'string' || r[k] === '') {
        throw new FaultSpecError(`${k} must be a non-empty string`);
      }
      spec[k] = r[k] as string;
    }
  }
  if (r.latencyMs !== undefined) {
    if (typeof r.latencyMs !== 'number' || !(r.latencyMs >= 0)) {
      throw new FaultSpecError('latencyMs must be a number >= 0');
    }
    spec.latencyMs = r.latencyMs;
  }
  if (r.status !== undefined) {
    if (
      !Number.isInteger(r.status) ||
      (r.status as number) < 100 ||
      (r.status as number) > 599
    ) {
      throw new FaultSpecError('status must be an HTTP status code');
    }
    spec.status = r.status as number;
  }
  if (r.drop !== undefined) {
    if (typeof r.drop !== 'boolean')
      throw new FaultSpecError('drop must be a boolean');
    spec.drop = r.drop;
  }
  if (r.times !== undefined) {
    if (!Number.isInteger(r.times) || (r.times as number) < 1) {
      throw new FaultSpecError('times must be an integer >= 1');
    }
    spec.times = r.times as number;
  }
  if (r.after !== undefined) {
    if (typeof r.after !== 'boolean')
      throw new FaultSpecError('after must be a boolean');
    spec.after = r.after;
  }
  if (r.fraction !== undefined) {
    if (typeof r.fraction !== 'number' || r.fraction < 0 || r.fraction > 1) {
      throw new FaultSpecError('fraction must be a number between 0 and 1');
    }
    spec.fraction = r.fraction;
  }
  if (spec.latencyMs === undefined && spec.status === undefined && !spec.drop) {
    throw new FaultSpecError('a fault needs latencyMs, status or drop');
  }
  return spec;
}

/** Whether a fault's filters match a request. */
export function matches(f: FaultSpec, t: FaultTarget): boolean {
  if (f.verb !== undefined && f.verb !== t.verb) return false;
  if (f.namespace !== undefined && f.namespace !== t.namespace) return false;
  if (f.resource !== undefined) {
    const full = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
    if (f.resource !== t.resource && f.resource !== full) return false;
  }
  return true;
}

export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;

  /** `random` is injectable so `fraction` can be tested deterministically. */
  constructor(private readonly random: () => number = Math.random) {}

  /**
   * Whether a new fault cuts the watches already open on `target`: one that fails or drops watch requests, as an
   * API server that goes down or refuses ends its streams, so clients reconnect and meet the fault.
   */
  static cutsWatch(f: FaultSpec, target: FaultTarget): boolean {
    return (
      !f.after &&
      (f.status !== undefined || f.drop === true) &&
      matches(f, target)
    );
  }

  add(raw: unknown): Fault {
    const fault: Fault = {
      id: `fault-${this.nextId++}`,
      ...validateFaultSpec(raw),
      applied: 0,
    };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map(f => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter(f => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * Decides what happens to one request: latencies add up, the first status
   * wins, any drop drops (separately for the faults with `after`). Consumes
   * one of `times` of every applied fault.
   */
  apply(target: FaultTarget): FaultEffect | undefined {
    const effect: FaultEffect = { latencyMs: 0, drop: false, faultIds: [] };
    for (const f of [...this.faults]) {
      if (!matches(f, target)) continue;
      if (f.fraction !== undefined && !(this.random() < f.fraction)) continue;
      f.applied++;
      if (f.times !== undefined && f.applied >= f.times) this.remove(f.id);
      effect.faultIds.push(f.id);
      const into = f.after
        ? (effect.after ??= { latencyMs: 0, drop: false })
        : effect;
      into.latencyMs += f.latencyMs ?? 0;
      if (into.status === undefined && f.status !== undefined)
        into.status = f.status;
      if (f.drop) into.drop = true;
    }
    return effect.faultIds.length ? effect : undefined;
  }
}
