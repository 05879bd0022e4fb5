/**
 * A route's `match` in words, the way the Rollouts tab shows it.
 *
 * Istio ORs the match blocks of a route and ANDs the conditions inside one block, so the summary joins blocks
 * with ` or ` and conditions with ` and `. A route without match blocks, or with a block that has no condition
 * the read model knows, takes every request: `default`.
 */
import { RouteKind } from '../api';
import { asArray, asNumber, asRecord, asString, UnknownRecord } from './kube';

/** The summary of a route that matches every request. @public */
export const DEFAULT_MATCH = 'default';

/** A route's match, summarised. @public */
export interface MatchSummary {
  /** e.g. `header x-deploy = green`, `prefix /reviews or exact /api`, `default`. */
  text: string;
  /** True when the route takes every request that reaches it. */
  isDefault: boolean;
  /** Names of the headers the match requires (in `headers`), in order of appearance, without duplicates. */
  headers: string[];
}

type StringMatch =
  | { op: 'exact' | 'prefix' | 'regex'; value: string }
  | { op: 'present' };

/** Istio's StringMatch: one of exact/prefix/regex; `{}` tests presence (headers and query params). */
function readStringMatch(raw: unknown): StringMatch | undefined {
  const scalar = asString(raw);
  if (scalar !== undefined) return { op: 'exact', value: scalar };
  const record = asRecord(raw);
  if (!record) return undefined;
  for (const op of ['exact', 'prefix', 'regex'] as const) {
    const value = asString(record[op]);
    if (value !== undefined) return { op, value };
  }
  return { op: 'present' };
}

/** `method GET`, `method prefix G`, `method regex ^G`. */
function describeField(label: string, raw: unknown): string | undefined {
  const m = readStringMatch(raw);
  if (!m || m.op === 'present') return undefined;
  return m.op === 'exact'
    ? `${label} ${m.value}`
    : `${label} ${m.op} ${m.value}`;
}

/** `header x = v`, `header x prefix v`, `header x regex v`, `header x present`. */
function describeKeyed(label: string, key: string, raw: unknown): string {
  const m = readStringMatch(raw) ?? { op: 'present' };
  switch (m.op) {
    case 'exact':
      return `${label} ${key} = ${m.value}`;
    case 'present':
      return `${label} ${key} present`;
    default:
      return `${label} ${key} ${m.op} ${m.value}`;
  }
}

function describeList(label: string, raw: unknown): string | undefined {
  const values = asArray(raw)
    .map(asString)
    .filter((v): v is string => v !== undefined);
  return values.length > 0 ? `${label} ${values.join(', ')}` : undefined;
}

function describeLabels(label: string, raw: unknown): string | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const pairs = Object.entries(record)
    .map(([k, v]) => [k, asString(v)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? `${label} ${pairs.join(',')}` : undefined;
}

function describePort(raw: unknown): string | undefined {
  const port = asNumber(raw);
  return port !== undefined && port > 0 ? `port ${port}` : undefined;
}

function describeUri(block: UnknownRecord): string | undefined {
  const m = readStringMatch(block.uri);
  if (!m || m.op === 'present') return undefined;
  const text = `${m.op} ${m.value}`;
  return block.ignoreUriCase === true ? `${text} (any case)` : text;
}

function describeHttpBlock(block: UnknownRecord, headers: string[]): string[] {
  const out: Array<string | undefined> = [describeUri(block)];
  out.push(describeField('scheme', block.scheme));
  out.push(describeField('method', block.method));
  out.push(describeField('authority', block.authority));
  for (const [key, raw] of Object.entries(asRecord(block.headers) ?? {})) {
    if (!headers.includes(key)) headers.push(key);
    out.push(describeKeyed('header', key, raw));
  }
  out.push(describePort(block.port));
  out.push(describeLabels('source', block.sourceLabels));
  out.push(describeField('source namespace', block.sourceNamespace));
  out.push(describeList('gateway', block.gateways));
  for (const [key, raw] of Object.entries(asRecord(block.queryParams) ?? {})) {
    out.push(describeKeyed('query', key, raw));
  }
  for (const [key, raw] of Object.entries(
    asRecord(block.withoutHeaders) ?? {},
  )) {
    const m = readStringMatch(raw);
    out.push(
      !m || m.op === 'present'
        ? `without header ${key}`
        : `without ${describeKeyed('header', key, raw)}`,
    );
  }
  return out.filter((c): c is string => c !== undefined);
}

function describeL4Block(block: UnknownRecord): string[] {
  const out: Array<string | undefined> = [
    describeList('sni', block.sniHosts),
    describeList('destination subnet', block.destinationSubnets),
    describePort(block.port),
    describeField('source subnet', block.sourceSubnet),
    describeLabels('source', block.sourceLabels),
    describeField('source namespace', block.sourceNamespace),
    describeList('gateway', block.gateways),
  ];
  return out.filter((c): c is string => c !== undefined);
}

/**
 * Summarises the `match` of an http, tls or tcp route. Unknown condition fields are ignored.
 * @public
 */
export function summarizeMatch(kind: RouteKind, match: unknown): MatchSummary {
  // A single object instead of a list is not valid Istio, but reading it beats failing on it.
  const blocks = (Array.isArray(match) ? match : [match])
    .map(asRecord)
    .filter((b): b is UnknownRecord => b !== undefined);
  const headers: string[] = [];
  const described = blocks.map(block =>
    kind === 'http'
      ? describeHttpBlock(block, headers)
      : describeL4Block(block),
  );
  // An empty block matches every request, which makes the whole route a catch-all.
  if (described.length === 0 || described.some(c => c.length === 0)) {
    return { text: DEFAULT_MATCH, isDefault: true, headers: [] };
  }
  return {
    text: described.map(c => c.join(' and ')).join(' or '),
    isDefault: false,
    headers,
  };
}
