/**
 * Which DestinationRules may stand behind a VirtualService. A label says
 * which catalog entity an object belongs to, but anybody can put a label on
 * an object in a namespace they control: a DestinationRule is only taken
 * from the VirtualService's own namespace, or from the namespace a
 * destination's fully qualified host names (`reviews.bookinfo.svc.cluster.local`),
 * as Istio itself looks a host's rules up in the client's and the service's
 * namespace. Never from an unrelated namespace because it carries the label.
 */
import { clusterLocalParts, canonicalHost, HostOptions } from './hosts';
import { KubeObject, namespaceOf } from './kube';
import { parseVirtualService } from './parseVirtualService';

/** The namespaces whose DestinationRules may define the subsets of `virtualService`. @public */
export function destinationRuleNamespaces(
  virtualService: KubeObject,
  options: HostOptions = {},
): Set<string> {
  const namespace = namespaceOf(virtualService);
  const allowed = new Set([namespace]);
  for (const route of parseVirtualService(virtualService).routes) {
    const hosts = [
      ...route.destinations.map(d => d.host),
      ...(route.mirrors ?? []).map(m => m.host),
    ];
    for (const host of hosts) {
      const parts = clusterLocalParts(
        canonicalHost(host, namespace, options),
        options,
      );
      if (parts) allowed.add(parts.namespace);
    }
  }
  return allowed;
}

/** The DestinationRules among `destinationRules` that may stand behind `virtualService`. @public */
export function destinationRulesInScope<T extends KubeObject>(
  virtualService: KubeObject,
  destinationRules: T[],
  options: HostOptions = {},
): T[] {
  const allowed = destinationRuleNamespaces(virtualService, options);
  return destinationRules.filter(dr => allowed.has(namespaceOf(dr)));
}
