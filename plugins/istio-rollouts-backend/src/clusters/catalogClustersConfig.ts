import type { Config } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { canonicalApiServerUrl } from './apiServerUrl';
import { readNamespaces } from './readClusters';

/** How often catalog-located clusters are looked up when `refreshIntervalSeconds` is not set. */
export const DEFAULT_CATALOG_CLUSTERS_REFRESH_SECONDS = 60;

const KEY = 'istioRollouts.catalogClusters';

/** Catalog filter keys the locator always sets itself. */
const FIXED_FILTER_KEYS = ['kind', 'spec.type'];

/**
 * What the operator lets the backend send to one API server. A catalog Resource may only say which of these
 * servers a cluster is; everything sent to it (token, trust in its certificate) comes from here.
 */
export interface CatalogCredentials {
  /** The canonical API server URL: the only one these credentials are ever sent to. */
  apiServer: string;
  /** Absent: the backend's own in-cluster service account token. */
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  allowInsecureHttp: boolean;
  namespaces?: string[];
  impersonate: boolean;
}

/** `istioRollouts.catalogClusters`, checked. */
export interface CatalogClustersConfig {
  refreshIntervalSeconds: number;
  /** More catalog filter fields, together with `kind: Resource` and `spec.type: kubernetes-cluster`. */
  filter: Record<string, string | string[]>;
  credentials: CatalogCredentials[];
}

function fail(key: string, what: string): never {
  throw new Error(`Istio Rollouts: ${key} ${what}`);
}

/**
 * Reads `istioRollouts.catalogClusters`; undefined when it is not set (no cluster then comes from the catalog).
 * Throws at startup on anything it cannot use, naming the field.
 */
export function readCatalogClustersConfig(
  config: Config,
): CatalogClustersConfig | undefined {
  const c = config.getOptionalConfig(KEY);
  if (!c) return undefined;

  const refreshIntervalSeconds =
    c.getOptionalNumber('refreshIntervalSeconds') ??
    DEFAULT_CATALOG_CLUSTERS_REFRESH_SECONDS;
  if (!Number.isInteger(refreshIntervalSeconds) || refreshIntervalSeconds < 1) {
    fail(
      `${KEY}.refreshIntervalSeconds`,
      `must be a positive whole number of seconds, got ${refreshIntervalSeconds}`,
    );
  }

  const credentials = (c.getOptionalConfigArray('credentials') ?? []).map(
    (entry, i) => readCredentials(entry, `${KEY}.credentials[${i}]`),
  );
  const seen = new Map<string, number>();
  credentials.forEach(({ apiServer }, i) => {
    const first = seen.get(apiServer);
    if (first !== undefined) {
      fail(
        `${KEY}.credentials[${i}].apiServer`,
        `"${apiServer}" is the same API server as credentials[${first}]; give each API server one entry`,
      );
    }
    seen.set(apiServer, i);
  });

  return {
    refreshIntervalSeconds,
    filter: readFilter(c.getOptional('filter')),
    credentials,
  };
}

function readCredentials(c: Config, key: string): CatalogCredentials {
  const raw = c.getString('apiServer');
  const canonical = canonicalApiServerUrl(raw);
  if ('problem' in canonical) {
    fail(`${key}.apiServer`, canonical.problem);
  }
  const allowInsecureHttp = c.getOptionalBoolean('allowInsecureHttp') ?? false;
  if (canonical.url.startsWith('http:') && !allowInsecureHttp) {
    fail(
      `${key}.apiServer`,
      `"${canonical.url}" is plain http, which sends the token unencrypted and unverified; use https, or set allowInsecureHttp: true on this entry (local simulators only)`,
    );
  }
  const namespaces = readNamespaces(c, key);
  return {
    apiServer: canonical.url,
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    allowInsecureHttp,
    ...(namespaces && { namespaces }),
    impersonate: c.getOptionalBoolean('impersonate') ?? false,
  };
}

/**
 * Reads `filter`, a catalog filter (`spec.owner: group:default/platform`): read as one object because its keys
 * are dotted field paths, which config paths cannot address.
 */
function readFilter(
  raw: JsonValue | undefined,
): Record<string, string | string[]> {
  const key = `${KEY}.filter`;
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(key, 'must be an object of catalog field paths and values');
  }
  const filter: Record<string, string | string[]> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!field.trim()) fail(key, 'has an empty field path');
    if (FIXED_FILTER_KEYS.includes(field.toLowerCase())) {
      fail(
        `${key}.${field}`,
        'is always set by the locator (kind: Resource, spec.type: kubernetes-cluster)',
      );
    }
    const valid =
      typeof value === 'string' ||
      (Array.isArray(value) &&
        value.length > 0 &&
        value.every(v => typeof v === 'string'));
    if (!valid) {
      fail(
        `${key}.${field}`,
        'must be a string or a non-empty list of strings',
      );
    }
    filter[field] = value as string | string[];
  }
  return filter;
}
