/**
 * Host names as Istio compares them.
 *
 * Istio resolves a short name against the namespace of the object that names it: in namespace `bookinfo`,
 * `reviews` means `reviews.bookinfo.svc.cluster.local`. Users also write `reviews.bookinfo` and
 * `reviews.bookinfo.svc` (both resolve through Kubernetes DNS), so the read model treats all four spellings as
 * one host. Everything is compared in canonical (fully-qualified, lower-case) form.
 */

/** The cluster DNS domain Kubernetes and Istio assume unless told otherwise. @public */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** How to resolve host names. @public */
export interface HostOptions {
  /** The cluster DNS domain, `cluster.local` by default. */
  clusterDomain?: string;
  /**
   * Namespaces known to exist. `name.other` is only read as `<service>.<namespace>` when `other` is the
   * referencing object's namespace or one of these, so that an external `example.com` stays external.
   */
  namespaces?: Iterable<string>;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function normalise(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The fully-qualified form of `host` as named by an object in `namespace`:
 * `reviews`, `reviews.bookinfo`, `reviews.bookinfo.svc` → `reviews.bookinfo.svc.cluster.local`.
 * Wildcards, IP addresses and other FQDNs are returned normalised but otherwise unchanged.
 * @public
 */
export function canonicalHost(
  host: string,
  namespace: string,
  options: HostOptions = {},
): string {
  const domain = normalise(options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  const h = normalise(host);
  if (h === '' || h.startsWith('*') || IPV4.test(h) || h.includes(':')) {
    return h;
  }
  const labels = h.split('.');
  if (labels.length === 1) {
    return `${h}.${normalise(namespace)}.svc.${domain}`;
  }
  if (labels.length === 2) {
    const ns = labels[1];
    const known = new Set(
      [namespace, ...(options.namespaces ?? [])].map(normalise),
    );
    return known.has(ns) ? `${h}.svc.${domain}` : h;
  }
  if (labels.length === 3 && labels[2] === 'svc') {
    return `${h}.${domain}`;
  }
  return h;
}

/** True when two hosts, each named from its own namespace, are the same host for Istio. @public */
export function sameHost(
  a: { host: string; namespace: string },
  b: { host: string; namespace: string },
  options: HostOptions = {},
): boolean {
  return (
    canonicalHost(a.host, a.namespace, options) ===
    canonicalHost(b.host, b.namespace, options)
  );
}

/** The canonical host of a Kubernetes Service. @public */
export function serviceHost(
  name: string,
  namespace: string,
  options: HostOptions = {},
): string {
  const domain = normalise(options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  return `${normalise(name)}.${normalise(namespace)}.svc.${domain}`;
}

/**
 * For a canonical cluster-local host (`<service>.<namespace>.svc.<domain>`), its service and namespace;
 * undefined for wildcards and hosts outside the cluster (ServiceEntries, external names).
 * @public
 */
export function clusterLocalParts(
  canonical: string,
  options: HostOptions = {},
): { service: string; namespace: string } | undefined {
  const domain = normalise(options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
  const suffix = `.svc.${domain}`;
  if (canonical.startsWith('*') || !canonical.endsWith(suffix)) {
    return undefined;
  }
  const labels = canonical.slice(0, -suffix.length).split('.');
  if (labels.length !== 2 || labels.some(l => l === '')) return undefined;
  return { service: labels[0], namespace: labels[1] };
}

/**
 * True when canonical `host` falls under canonical `pattern`: equal, or `pattern` is `*` or `*.suffix` and
 * `host` ends with `.suffix` (Istio's wildcard hosts, e.g. a DestinationRule for `*.bookinfo.svc.cluster.local`).
 * @public
 */
export function hostMatchesPattern(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    return host.endsWith(pattern.slice(1)) && !host.startsWith('*');
  }
  return false;
}
