import { cannotPlace } from './CannotPlace';
import { EditContext, requireEditable, show, where } from './editContext';
import { formatPointer } from './jsonPointer';
import { child, Rendered, sameJson, toJson } from './renderedTree';
import { replacementText } from './scalarText';
import { lineOf } from './textEdits';

function isComposite(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

/** Splices a new scalar over the written one, in its style. */
function replaceScalar(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
  value: unknown,
): void {
  const r = path[path.length - 1];
  const pointer = formatPointer(tokens);
  if (r.kind !== 'scalar') {
    cannotPlace(
      `${ctx.label}: ${pointer} is a ${
        r.kind === 'map' ? 'mapping' : 'list'
      } in the repository (${where(r)}), and the change writes ${show(
        value,
      )} there`,
    );
  }
  if (sameJson(r.value, value)) return;
  const source = requireEditable(ctx, path, pointer);
  const node = r.node;
  const text = node?.range
    ? replacementText(value, node, r.inFlow ?? false)
    : undefined;
  if (!node?.range || text === undefined) {
    cannotPlace(
      `${ctx.label}: ${pointer} in ${where(r)} is written in a style ${show(
        value,
      )} cannot be spliced into`,
    );
  }
  const [start, end] = node.range;
  ctx.textEdits.push({ file: source.file, start, end, text });
  ctx.edits.push({
    file: source.file,
    line: lineOf(source.text, start),
    pointer,
    op: 'replace',
    from: r.value,
    to: value,
  });
  r.value = value;
}

/**
 * Writes `value` where `path` ends. A scalar is spliced; a mapping or list of the same shape (the same keys,
 * the same length) is written leaf by leaf, so only the values that change are touched. A change of shape
 * would rewrite a block of text: not placed.
 */
export function replaceValue(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
  value: unknown,
): void {
  const r = path[path.length - 1];
  if (!isComposite(value) || r.kind === 'scalar') {
    replaceScalar(ctx, path, tokens, value);
    return;
  }
  const pointer = formatPointer(tokens);
  const keys =
    r.kind === 'map' ? [...r.entries.keys()] : r.items.map((_, i) => String(i));
  const wanted = Array.isArray(value)
    ? value.map((_, i) => String(i))
    : Object.keys(value as object);
  const sameShape =
    Array.isArray(value) === (r.kind === 'seq') &&
    keys.length === wanted.length &&
    wanted.every(k => keys.includes(k));
  if (!sameShape) {
    cannotPlace(
      `${ctx.label}: the change replaces ${pointer} (${show(
        toJson(r),
      )} in ${where(r)}) with ${show(
        value,
      )}, a value of another shape; rewriting a block of YAML is not placed`,
    );
  }
  for (const key of wanted) {
    const next = child(r, key)!;
    const v = (value as Record<string, unknown>)[key];
    replaceValue(ctx, [...path, next], [...tokens, key], v);
  }
}
