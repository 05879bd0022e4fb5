/*
 * The resource table: which kinds the simulator serves, at which versions, and
 * the discovery documents (`/api`, `/apis`, `/apis/<group>/<version>`) built
 * from it. Everything here is static data plus pure lookups.
 */

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export interface ResourceType {
  /** `''` is the core group. */
  group: string;
  /** Served versions, preferred (and storage) version first. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Served by a CustomResourceDefinition: no strategic merge patch, no unconditional update. */
  custom: boolean;
  /** DELETE answers with the object (pods, services, namespaces) rather than a Status. */
  returnDeletedObject: boolean;
  /** Has a `/status` subresource: writes to the main resource keep the old status. */
  hasStatus: boolean;
  /** Whether metadata.generation is maintained. */
  tracksGeneration: boolean;
  /** Names must be DNS-1123 labels (namespaces, services) rather than subdomains. */
  nameIsLabel: boolean;
  /** Field selectors the real server supports beyond metadata.name/namespace. */
  extraFieldSelectors: string[];
}

const ISTIO_GROUP = 'networking.istio.io';
const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const ISTIO_CATEGORIES = ['istio-io', 'networking-istio-io'];

function istio(
  kind: string,
  plural: string,
  shortNames: string[],
): ResourceType {
  return {
    group: ISTIO_GROUP,
    versions: ISTIO_VERSIONS,
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced: true,
    shortNames,
    categories: ISTIO_CATEGORIES,
    custom: true,
    returnDeletedObject: false,
    hasStatus: true,
    tracksGeneration: true,
    nameIsLabel: false,
    extraFieldSelectors: [],
  };
}

/**
 * A GitOps tool's kind, served as its CRD is: custom, generation tracked.
 * `hasStatus` follows the CRD: Flux's kinds have the status subresource, Argo
 * CD's Application does not (`subresources: {}`; its controller writes status
 * through the main resource).
 */
function gitOps(
  group: string,
  version: string,
  kind: string,
  plural: string,
  shortNames: string[],
  hasStatus: boolean,
): ResourceType {
  return {
    group,
    versions: [version],
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced: true,
    shortNames,
    categories: [],
    custom: true,
    returnDeletedObject: false,
    hasStatus,
    tracksGeneration: true,
    nameIsLabel: false,
    extraFieldSelectors: [],
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    custom: false,
    returnDeletedObject: true,
    hasStatus: true,
    tracksGeneration: false,
    nameIsLabel: true,
    extraFieldSelectors: ['status.phase'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    custom: false,
    returnDeletedObject: true,
    hasStatus: true,
    tracksGeneration: false,
    nameIsLabel: false,
    extraFieldSelectors: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    custom: false,
    returnDeletedObject: true,
    hasStatus: true,
    tracksGeneration: false,
    nameIsLabel: true,
    extraFieldSelectors: [],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    custom: false,
    returnDeletedObject: false,
    hasStatus: true,
    tracksGeneration: true,
    nameIsLabel: false,
    extraFieldSelectors: [],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    custom: false,
    returnDeletedObject: false,
    hasStatus: true,
    tracksGeneration: true,
    nameIsLabel: false,
    extraFieldSelectors: ['status.replicas'],
  },
  istio('VirtualService', 'virtualservices', ['vs']),
  istio('DestinationRule', 'destinationrules', ['dr']),
  istio('Gateway', 'gateways', ['gw']),
  // Where a GitOps-managed VirtualService comes from.
  gitOps(
    'argoproj.io',
    'v1alpha1',
    'Application',
    'applications',
    ['app', 'apps'],
    false,
  ),
  gitOps(
    'kustomize.toolkit.fluxcd.io',
    'v1',
    'Kustomization',
    'kustomizations',
    ['ks'],
    true,
  ),
  gitOps(
    'source.toolkit.fluxcd.io',
    'v1',
    'GitRepository',
    'gitrepositories',
    ['gitrepo'],
    true,
  ),
];

/** Stable key for a resource type, independent of the version it is reached at. */
export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group}/${t.plural}`;
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function findResource(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t =>
      t.group === group && t.plural === plural && t.versions.includes(version),
  );
}

export function findResourceByKind(
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return RESOURCE_TYPES.find(
    t => t.group === group && t.kind === kind && t.versions.includes(version),
  );
}

/** Whether `/apis/<group>/<version>` (or `/api/v1` for the core group) is served. */
export function isServedGroupVersion(group: string, version: string): boolean {
  return RESOURCE_TYPES.some(
    t => t.group === group && t.versions.includes(version),
  );
}

/** Named groups (not core), in the order discovery lists them. */
function namedGroups(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const t of RESOURCE_TYPES) {
    if (!t.group || out.some(g => g.name === t.group)) continue;
    out.push({ name: t.group, versions: t.versions });
  }
  return out;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: { name: string; versions: string[] }) {
  const versions = g.versions.map(v => ({
    groupVersion: `${g.name}/${v}`,
    version: v,
  }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: namedGroups().map(apiGroup),
  };
}

export function apiGroupDoc(group: string) {
  const g = namedGroups().find(x => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const t of RESOURCE_TYPES) {
    if (t.group !== group || !t.versions.includes(version)) continue;
    const entry: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ALL_VERBS,
    };
    if (t.shortNames.length) entry.shortNames = t.shortNames;
    if (t.categories.length) entry.categories = t.categories;
    resources.push(entry);
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources,
  };
}
