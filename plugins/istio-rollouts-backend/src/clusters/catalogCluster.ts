/*
 * Catalog Resources to clusters: pure, no I/O. A Resource (anyone may write one) only says WHERE a cluster is;
 * whatever the backend sends to it comes from the operator's credentials entry for exactly that API server URL.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { canonicalApiServerUrl } from './apiServerUrl';
import type { CatalogCredentials } from './catalogClustersConfig';
import type { ClusterDetails, UnavailableCluster } from './types';

// The annotations of Backstage's Kubernetes plugin (as in @backstage/plugin-kubernetes-common, which this plugin
// does not depend on), so that Resources written for its catalog cluster locator work unchanged.
export const ANNOTATION_KUBERNETES_API_SERVER = 'kubernetes.io/api-server';
export const ANNOTATION_KUBERNETES_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const ANNOTATION_KUBERNETES_AUTH_PROVIDER =
  'kubernetes.io/auth-provider';
export const ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY =
  'kubernetes.io/skip-tls-verify';

/** The entity kind and `spec.type` of a cluster Resource. */
export const CLUSTER_RESOURCE_KIND = 'Resource';
export const CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';

/** The Kubernetes plugin's annotations that name no secret, although some of their names look like one. */
const KNOWN_ANNOTATIONS = new Set([
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_API_SERVER_CA,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY,
  'kubernetes.io/oidc-token-provider',
  'kubernetes.io/skip-metrics-lookup',
  'kubernetes.io/dashboard-url',
  'kubernetes.io/dashboard-app',
  'kubernetes.io/dashboard-parameters',
  'kubernetes.io/aws-assume-role',
  'kubernetes.io/x-k8s-aws-id',
  'kubernetes.io/aws-external-id',
]);

/** An annotation name that looks like it carries a credential. */
const SECRET_LOOKING =
  /token|secret|passw(or)?d|credential|bearer|kubeconfig|(private|client|api)[-_]?key/i;

/** One Resource read: a cluster to read, one to report as unavailable, or not a cluster at all. */
export type CatalogClusterReading =
  | { cluster: ClusterDetails; warnings: string[] }
  | { unavailable: UnavailableCluster; warnings: string[] }
  | { ignored: string };

/** Every cluster the catalog locates, after name clashes are settled, and what the operator should know. */
export interface CatalogClusters {
  /** Sorted by name. */
  clusters: ClusterDetails[];
  /** Sorted by name. */
  unavailable: UnavailableCluster[];
  warnings: string[];
}

/**
 * Reads one `kind: Resource`, `spec.type: kubernetes-cluster` entity: its `kubernetes.io/api-server` is matched
 * against the credentials entries, and only a match gets a cluster (with the entry's URL, token, certificate
 * authority, TLS and namespace settings). Without a match it is unavailable, and never contacted. Credential-like
 * annotations and the Resource's own TLS settings are ignored, with a warning.
 */
export function readCatalogCluster(
  entity: Entity,
  credentials: CatalogCredentials[],
): CatalogClusterReading {
  const entityRef = stringifyEntityRef(entity);
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  if (
    entity.kind.toLowerCase() !== CLUSTER_RESOURCE_KIND.toLowerCase() ||
    type !== CLUSTER_RESOURCE_TYPE
  ) {
    return {
      ignored: `${entityRef} is not a ${CLUSTER_RESOURCE_KIND} of spec.type ${CLUSTER_RESOURCE_TYPE}`,
    };
  }
  const annotations = entity.metadata.annotations ?? {};
  const apiServer = annotations[ANNOTATION_KUBERNETES_API_SERVER];
  if (apiServer === undefined) {
    return {
      ignored: `${entityRef} has no ${ANNOTATION_KUBERNETES_API_SERVER} annotation`,
    };
  }

  const name = entity.metadata.name;
  const title = entity.metadata.title;
  const where = `Cluster "${name}" is located by the catalog (${entityRef})`;
  const warnings = credentialAnnotationWarnings(entityRef, annotations);
  const unavailable = (message: string): CatalogClusterReading => ({
    unavailable: {
      name,
      ...(title && { title }),
      error: { reason: 'MissingCredentials', message },
    },
    warnings: [...warnings, `Istio Rollouts: ${message}`],
  });

  const canonical = canonicalApiServerUrl(apiServer);
  if ('problem' in canonical) {
    return unavailable(
      `${where}, but its ${ANNOTATION_KUBERNETES_API_SERVER} annotation ${canonical.problem}, so no credentials can match it and the backend never contacts it.`,
    );
  }
  const index = credentials.findIndex(c => c.apiServer === canonical.url);
  if (index < 0) {
    return unavailable(
      `${where} at ${canonical.url}, for which istioRollouts.catalogClusters.credentials has no entry, so the backend never contacts it. ` +
        `To read it, add an entry with apiServer: ${canonical.url} and the cluster's serviceAccountToken.`,
    );
  }

  const entry = credentials[index];
  warnings.push(...ignoredTlsSettings(entityRef, annotations, entry, index));
  return {
    cluster: {
      name,
      ...(title && { title }),
      url: entry.apiServer,
      serviceAccountToken: entry.serviceAccountToken,
      caData: entry.caData,
      caFile: entry.caFile,
      skipTLSVerify: entry.skipTLSVerify,
      allowInsecureHttp: entry.allowInsecureHttp,
      ...(entry.namespaces && { namespaces: entry.namespaces }),
      impersonate: entry.impersonate,
      catalog: { entityRef, credentials: index },
    },
    warnings,
  };
}

/**
 * Every cluster the Resources locate. A name that a configured cluster has is ignored (config wins); of several
 * Resources with one name, a readable one wins over an unavailable one, then the first by entity ref.
 */
export function locateCatalogClusters(
  entities: Entity[],
  options: {
    credentials: CatalogCredentials[];
    /** Names of the configured clusters. */
    configured: string[];
  },
): CatalogClusters {
  const configured = new Set(options.configured);
  const warnings: string[] = [];
  const located: Array<{
    entityRef: string;
    annotations: Record<string, string>;
    reading: Exclude<CatalogClusterReading, { ignored: string }>;
  }> = [];
  for (const entity of entities) {
    const reading = readCatalogCluster(entity, options.credentials);
    if ('ignored' in reading) {
      warnings.push(
        `Istio Rollouts: catalog Resource ignored: ${reading.ignored}`,
      );
      continue;
    }
    located.push({
      entityRef: stringifyEntityRef(entity),
      annotations: entity.metadata.annotations ?? {},
      reading,
    });
  }
  located.sort(
    (a, b) =>
      Number('unavailable' in a.reading) - Number('unavailable' in b.reading) ||
      a.entityRef.localeCompare(b.entityRef),
  );

  const chosen = new Map<string, (typeof located)[number]>();
  for (const candidate of located) {
    const { entityRef, annotations, reading } = candidate;
    const name =
      'cluster' in reading ? reading.cluster.name : reading.unavailable.name;
    const winner = chosen.get(name)?.entityRef;
    let clash: string | undefined;
    if (configured.has(name)) {
      clash = `Istio Rollouts: ${entityRef} names cluster "${name}", which is configured; the configured cluster is used and the Resource ignored`;
    } else if (winner) {
      clash = `Istio Rollouts: ${winner} and ${entityRef} both name cluster "${name}"; ${winner} is used and ${entityRef} ignored`;
    }
    if (clash) {
      warnings.push(
        clash,
        ...credentialAnnotationWarnings(entityRef, annotations),
      );
      continue;
    }
    chosen.set(name, candidate);
    warnings.push(...reading.warnings);
  }

  const byName = [...chosen.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    clusters: byName.flatMap(([, { reading }]) =>
      'cluster' in reading ? [reading.cluster] : [],
    ),
    unavailable: byName.flatMap(([, { reading }]) =>
      'unavailable' in reading ? [reading.unavailable] : [],
    ),
    warnings,
  };
}

/**
 * A warning for each annotation that may carry a credential (never its value): the Kubernetes plugin's
 * (`kubernetes.io/…`) and unprefixed ones, such as the `serviceAccountToken` some Resources were given.
 */
function credentialAnnotationWarnings(
  entityRef: string,
  annotations: Record<string, string>,
): string[] {
  return Object.keys(annotations)
    .filter(
      key =>
        (key.startsWith('kubernetes.io/') || !key.includes('/')) &&
        !KNOWN_ANNOTATIONS.has(key) &&
        SECRET_LOOKING.test(key),
    )
    .sort()
    .map(
      key =>
        `Istio Rollouts: ${entityRef} has the annotation ${key}, which is ignored: credentials of catalog-located clusters come only from istioRollouts.catalogClusters.credentials`,
    );
}

/** The Resource's certificate authority and skip-tls-verify, where they differ from the operator's entry. */
function ignoredTlsSettings(
  entityRef: string,
  annotations: Record<string, string>,
  entry: CatalogCredentials,
  index: number,
): string[] {
  const key = `istioRollouts.catalogClusters.credentials[${index}]`;
  const warnings: string[] = [];
  const ca = annotations[ANNOTATION_KUBERNETES_API_SERVER_CA];
  if (ca !== undefined && ca.trim() !== (entry.caData ?? '').trim()) {
    warnings.push(
      `Istio Rollouts: ${entityRef} has a ${ANNOTATION_KUBERNETES_API_SERVER_CA} annotation, which is ignored: the API server's certificate is checked against ${key}.caData or caFile (or the system's authorities)`,
    );
  }
  if (
    annotations[ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY] === 'true' &&
    !entry.skipTLSVerify
  ) {
    warnings.push(
      `Istio Rollouts: ${entityRef} has ${ANNOTATION_KUBERNETES_SKIP_TLS_VERIFY}: "true", which is ignored: TLS is verified unless ${key}.skipTLSVerify is true`,
    );
  }
  return warnings;
}
