/**
 * A route stanza cut down to what the read model shows of it, for the history.
 *
 * A raw `spec.http[i]` may carry secrets the Rollouts tab never shows (header values a `match` tests, a request
 * header `headers` sets to a token, retry and fault settings): the history keeps and returns only the parts a
 * reader of the tab can already see, in Istio's own shape so that the same readers (`parseDestinations`) work.
 */
import { asRecord, UnknownRecord } from './kube';

function pick(
  source: UnknownRecord | undefined,
  fields: Record<string, 'string' | 'number'>,
): UnknownRecord {
  const out: UnknownRecord = {};
  if (!source) return out;
  for (const [field, type] of Object.entries(fields)) {
    // A value of another type is not something the read model shows either.
    if (typeof source[field] === type) out[field] = source[field];
  }
  return out;
}

/** `{ host, subset, port: { number } }` of a destination or mirror. */
function target(raw: unknown): UnknownRecord {
  const d = asRecord(raw);
  const out = pick(d, { host: 'string', subset: 'string' });
  const port = pick(asRecord(d?.port), { number: 'number' });
  if (Object.keys(port).length > 0) out.port = port;
  return out;
}

function percentage(raw: unknown): UnknownRecord | undefined {
  const p = asRecord(raw);
  return p && typeof p.value === 'number' ? { value: p.value } : undefined;
}

/**
 * Keeps only what the read model shows of a route stanza (http, tls or tcp): `name`; each `route` destination's
 * `host`, `subset`, `port` and its `weight`; `mirror`, `mirrors`, `mirrorPercentage` and the legacy
 * `mirrorPercent`; `delegate` (name, namespace). Everything else (`match`, `headers`, `retries`, `fault`,
 * `corsPolicy`, `rewrite`, `timeout`, …) is dropped. Idempotent; `null` and `undefined` are returned as they are,
 * any other non-object becomes `{}`.
 * @public
 */
export function redactRouteStanza(stanza: unknown): unknown {
  if (stanza === null || stanza === undefined) return stanza;
  const route = asRecord(stanza);
  if (!route) return {};
  const out = pick(route, { name: 'string' });
  if (Array.isArray(route.route)) {
    out.route = route.route.map(raw => {
      const entry = asRecord(raw);
      // Positions are kept so that a destination's index still means the same.
      if (!entry) return {};
      return {
        ...(entry.destination !== undefined && {
          destination: target(entry.destination),
        }),
        ...pick(entry, { weight: 'number' }),
      };
    });
  }
  if (route.mirror !== undefined) out.mirror = target(route.mirror);
  const mirrorPercentage = percentage(route.mirrorPercentage);
  if (mirrorPercentage) out.mirrorPercentage = mirrorPercentage;
  Object.assign(out, pick(route, { mirrorPercent: 'number' }));
  if (Array.isArray(route.mirrors)) {
    out.mirrors = route.mirrors.map(raw => {
      const entry = asRecord(raw);
      const share = percentage(entry?.percentage);
      return {
        ...(entry?.destination !== undefined && {
          destination: target(entry.destination),
        }),
        ...(share && { percentage: share }),
      };
    });
  }
  if (route.delegate !== undefined) {
    out.delegate = pick(asRecord(route.delegate), {
      name: 'string',
      namespace: 'string',
    });
  }
  return out;
}
