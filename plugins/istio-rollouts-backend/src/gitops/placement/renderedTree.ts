import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Node,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { indexToken } from './jsonPointer';

/*
 * The object as the GitOps tool renders it, where every value remembers the YAML node that wrote it: the layer
 * walk builds it (resources, then patches; the last writer wins), and the placement edits the node behind each
 * value the planner changes.
 */

/** One document that writes values: a resource or a patch. */
export interface Source {
  /** The file, relative to the repository root. */
  file: string;
  /** The file's text, which the YAML nodes' ranges point into. */
  text: string;
  /** How messages name the layer, e.g. `the patches of overlays/prod/kustomization.yaml`. */
  layer: string;
  /** Why values from here cannot be edited in place (an inline patch string, a kustomize field). */
  locked?: string;
  /** The objects this document was applied to: editing it changes all of them. */
  uses: Set<object>;
}

interface RenderedBase {
  source: Source;
  /** Why this value cannot be edited in place although its source can (an alias, an empty value). */
  locked?: string;
  /** The writers of the values this one replaced during the walk: the other places that define it. */
  overrides: Source[];
}

export interface RenderedScalar extends RenderedBase {
  kind: 'scalar';
  value: unknown;
  node?: Scalar;
  /** Written inside a flow collection (`{…}`, `[…]`), where plain text must avoid `,` and brackets. */
  inFlow?: boolean;
}

/** A YAML mapping that contributed entries to a rendered map. */
export interface MapBlock {
  source: Source;
  node: YAMLMap;
}

export interface MapEntry {
  value: Rendered;
  /** The key as written, and the mapping it is written in; absent for entries a JSON Patch added. */
  key?: Scalar;
  block?: MapBlock;
}

export interface RenderedMap extends RenderedBase {
  kind: 'map';
  entries: Map<string, MapEntry>;
  /** Every mapping merged into this one (a resource's, then strategic-merge patches'). */
  blocks: MapBlock[];
  /** Keys a later layer deleted, and who deleted them. */
  deleted: Map<string, Source>;
}

export interface RenderedSeq extends RenderedBase {
  kind: 'seq';
  items: Rendered[];
  node?: YAMLSeq;
  /** Whether a layer inserted, removed or moved items, so that the written list no longer lines up. */
  reshaped: boolean;
}

export type Rendered = RenderedScalar | RenderedMap | RenderedSeq;

/** Renders a YAML node of a document; `locked` carries down why its values cannot be edited in place. */
export function renderNode(
  node: unknown,
  doc: Document,
  source: Source,
  locked?: string,
  inFlow = false,
): Rendered {
  if (isAlias(node)) {
    const why = `it is an alias (*${node.source}) of a value written elsewhere in ${source.file}`;
    return renderNode(node.resolve(doc), doc, source, locked ?? why, inFlow);
  }
  const anchor =
    isScalar(node) || isMap(node) || isSeq(node) ? node.anchor : undefined;
  let lock =
    locked ??
    (anchor
      ? `it is anchored (&${anchor}) in ${source.file}, so aliases may reuse it`
      : undefined);
  if (isMap(node)) {
    if (node.items.some(p => isScalar(p.key) && p.key.value === '<<')) {
      lock ??= `its mapping uses a merge key (<<) in ${source.file}`;
    }
    const flow = inFlow || Boolean(node.flow);
    const block: MapBlock = { source, node: node as YAMLMap };
    const entries = new Map<string, MapEntry>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      entries.set(String(key ? key.value : pair.key), {
        value: renderNode(pair.value, doc, source, lock, flow),
        key,
        block,
      });
    }
    const map: RenderedMap = {
      kind: 'map',
      source,
      overrides: [],
      locked: lock,
      entries,
      blocks: [block],
      deleted: new Map(),
    };
    return map;
  }
  if (isSeq(node)) {
    const flow = inFlow || Boolean(node.flow);
    return {
      kind: 'seq',
      source,
      overrides: [],
      locked: lock,
      node: node as YAMLSeq,
      items: node.items.map(item => renderNode(item, doc, source, lock, flow)),
      reshaped: false,
    };
  }
  if (isScalar(node)) {
    if (node.range && node.range[0] === node.range[1]) {
      lock ??= `it has no value written in ${source.file}`;
    }
    return {
      kind: 'scalar',
      source,
      overrides: [],
      locked: lock,
      value: node.value,
      node,
      inFlow,
    };
  }
  return { kind: 'scalar', source, overrides: [], locked: lock, value: null };
}

/** A value no file writes: set by a kustomize field, or added by the change being placed. */
export function syntheticValue(value: unknown, source: Source): Rendered {
  const base = { source, overrides: [], locked: source.locked };
  if (Array.isArray(value)) {
    const items = value.map(v => syntheticValue(v, source));
    return { ...base, kind: 'seq', items, reshaped: false };
  }
  if (value !== null && typeof value === 'object') {
    const entries = new Map<string, MapEntry>();
    for (const [k, v] of Object.entries(value)) {
      entries.set(k, { value: syntheticValue(v, source) });
    }
    return { ...base, kind: 'map', entries, blocks: [], deleted: new Map() };
  }
  return { ...base, kind: 'scalar', value };
}

/** The plain JSON value of a rendered tree. */
export function toJson(r: Rendered): unknown {
  switch (r.kind) {
    case 'scalar':
      return r.value;
    case 'seq':
      return r.items.map(toJson);
    default:
      return Object.fromEntries(
        [...r.entries].map(([k, e]) => [k, toJson(e.value)]),
      );
  }
}

/** The child of a map or list at one pointer token, or undefined. */
export function child(parent: Rendered, token: string): Rendered | undefined {
  if (parent.kind === 'map') return parent.entries.get(token)?.value;
  if (parent.kind === 'seq') {
    const index = indexToken(token);
    return index === undefined ? undefined : parent.items[index];
  }
  return undefined;
}

/** The values from the root to the one at `tokens` (the root first), or undefined when it is not set. */
export function lookup(
  root: Rendered,
  tokens: readonly string[],
): Rendered[] | undefined {
  const path: Rendered[] = [root];
  for (const token of tokens) {
    const next = child(path[path.length - 1], token);
    if (!next) return undefined;
    path.push(next);
  }
  return path;
}

/** Every document that wrote a part of `r`, or a value it replaced. */
export function sourcesIn(r: Rendered, into = new Set<Source>()): Set<Source> {
  into.add(r.source);
  r.overrides.forEach(s => into.add(s));
  if (r.kind === 'map') {
    r.blocks.forEach(b => into.add(b.source));
    r.deleted.forEach(s => into.add(s));
    r.entries.forEach(e => sourcesIn(e.value, into));
  } else if (r.kind === 'seq') {
    r.items.forEach(item => sourcesIn(item, into));
  }
  return into;
}

/** Records that `next` replaces `previous` at the same place: whoever wrote `previous` stays on record. */
export function replacing(next: Rendered, previous: Rendered | undefined) {
  if (previous) next.overrides.unshift(...sourcesIn(previous));
  return next;
}

/** The YAML node a rendered value was read from, if a file writes it. */
export function yamlNodeOf(r: Rendered): Node | undefined {
  if (r.kind === 'map')
    return r.blocks.length === 1 ? r.blocks[0].node : undefined;
  return r.node;
}

/** Whether two JSON values are equal (key order aside). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(rb).length &&
    ka.every(k => k in rb && sameJson((a as Record<string, unknown>)[k], rb[k]))
  );
}
