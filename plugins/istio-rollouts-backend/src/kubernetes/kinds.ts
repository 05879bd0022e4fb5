/** The Istio API group whose VirtualServices and DestinationRules the plugin reads. */
export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';

/** The Istio kinds the plugin lists, by their plural resource name. */
export type IstioResource = 'virtualservices' | 'destinationrules';

/** The kinds the plugin lists (and the watch cache watches), by their plural resource name. */
export type ObjectKind =
  | 'virtualservices'
  | 'destinationrules'
  | 'deployments'
  | 'services';

/** Where a kind is listed and watched, and what its objects are. */
export function kindLocation(
  kind: ObjectKind,
  version: string,
): { groupVersion: string; kind: string; prefix: string } {
  switch (kind) {
    case 'virtualservices':
    case 'destinationrules':
      return {
        groupVersion: `${ISTIO_NETWORKING_GROUP}/${version}`,
        kind: kind === 'virtualservices' ? 'VirtualService' : 'DestinationRule',
        prefix: `/apis/${ISTIO_NETWORKING_GROUP}/${encodeURIComponent(
          version,
        )}`,
      };
    case 'deployments':
      return {
        groupVersion: 'apps/v1',
        kind: 'Deployment',
        prefix: '/apis/apps/v1',
      };
    case 'services':
      return { groupVersion: 'v1', kind: 'Service', prefix: '/api/v1' };
    default:
      throw new Error(`Not a watched kind: ${kind as string}`);
  }
}

/** The collection path of a kind: in one namespace, or across all of them. */
export function collectionPath(
  kind: ObjectKind,
  version: string,
  namespace?: string,
): string {
  const { prefix } = kindLocation(kind, version);
  return namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind}`
    : `${prefix}/${kind}`;
}
