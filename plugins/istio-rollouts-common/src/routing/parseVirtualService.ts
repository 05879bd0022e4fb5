/**
 * A VirtualService's `spec` as the read model's routes.
 *
 * `networking.istio.io` v1alpha3, v1beta1 and v1 share one schema for everything read here, so one parser
 * serves all three. Fields the read model does not model (timeouts, retries, rewrites, …) are ignored, never
 * rejected; the object itself is never modified.
 */
import {
  Route,
  RouteDestination,
  ROUTE_KINDS,
  RouteKind,
  RouteMirror,
} from '../api';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  KubeObject,
  specOf,
  UnknownRecord,
} from './kube';
import { summarizeMatch } from './matches';

/** A route as read from the VirtualService, before the planners add what each action would do. @public */
export type ParsedRoute = Omit<Route, 'offers' | 'state'>;

/** The parts of a VirtualService the read model shows. @public */
export interface ParsedVirtualService {
  /** `spec.hosts` as written (a delegate VirtualService has none). */
  hosts: string[];
  /** `spec.gateways` as written; `[]` when omitted, which Istio reads as `mesh`. */
  gateways: string[];
  /** The http routes, then the tls routes, then the tcp routes, each with its index in its own list. */
  routes: ParsedRoute[];
}

function readTarget(
  raw: unknown,
): { host: string; subset?: string; port?: number } | undefined {
  const d = asRecord(raw);
  if (!d) return undefined;
  const host = asString(d.host) ?? '';
  const subset = asString(d.subset);
  const port = asNumber(asRecord(d.port)?.number);
  return {
    host,
    ...(subset ? { subset } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

/**
 * The destinations of a route, with weights as Istio reads them: a lone destination without `weight` gets all
 * the traffic (100); when there are several, an omitted weight is 0.
 * @public
 */
export function parseDestinations(raw: unknown): RouteDestination[] {
  const entries = asArray(raw)
    .map(asRecord)
    .filter((e): e is UnknownRecord => e !== undefined);
  const lone = entries.length === 1;
  return entries.map(entry => {
    const target = readTarget(entry.destination) ?? { host: '' };
    const weight = asNumber(entry.weight);
    return { ...target, weight: weight ?? (lone ? 100 : 0) };
  });
}

/**
 * Every mirror of an http route: the legacy `mirror` + `mirrorPercentage` (or the older integer
 * `mirrorPercent`), then the `mirrors` list of newer Istio. Istio mirrors 100 % when no percentage is set.
 * @public
 */
export function parseMirrors(route: UnknownRecord): RouteMirror[] {
  const mirrors: RouteMirror[] = [];
  const legacy = readTarget(route.mirror);
  if (legacy && legacy.host) {
    const percentage =
      asNumber(asRecord(route.mirrorPercentage)?.value) ??
      asNumber(route.mirrorPercent) ??
      100;
    mirrors.push({ ...legacy, percentage });
  }
  for (const raw of asArray(route.mirrors)) {
    const entry = asRecord(raw);
    const target = readTarget(entry?.destination);
    if (!entry || !target || !target.host) continue;
    const percentage = asNumber(asRecord(entry.percentage)?.value) ?? 100;
    mirrors.push({ ...target, percentage });
  }
  return mirrors;
}

function parseRoute(kind: RouteKind, index: number, raw: unknown): ParsedRoute {
  const route = asRecord(raw) ?? {};
  const name = asString(route.name);
  const match = summarizeMatch(kind, route.match);
  const parsed: ParsedRoute = {
    kind,
    index,
    ...(name ? { name } : {}),
    match: match.text,
    ...(match.headers.length > 0 ? { matchedHeaders: match.headers } : {}),
    destinations: parseDestinations(route.route),
  };
  if (kind === 'http') {
    const delegate = asRecord(route.delegate);
    const delegateName = asString(delegate?.name);
    if (delegateName) {
      const namespace = asString(delegate?.namespace);
      parsed.delegate = {
        name: delegateName,
        ...(namespace ? { namespace } : {}),
      };
    }
    const mirrors = parseMirrors(route);
    if (mirrors.length > 0) {
      parsed.mirror = mirrors[0];
      parsed.mirrors = mirrors;
    }
  }
  return parsed;
}

/** Reads the hosts, gateways and routes of a VirtualService of any `networking.istio.io` version. @public */
export function parseVirtualService(vs: KubeObject): ParsedVirtualService {
  const spec = specOf(vs);
  const strings = (raw: unknown) =>
    asArray(raw)
      .map(asString)
      .filter((s): s is string => s !== undefined);
  return {
    hosts: strings(spec.hosts),
    gateways: strings(spec.gateways),
    routes: ROUTE_KINDS.flatMap(kind =>
      asArray(spec[kind]).map((raw, index) => parseRoute(kind, index, raw)),
    ),
  };
}
