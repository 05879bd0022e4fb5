import { isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { cannotPlace } from './CannotPlace';
import { EditContext, requireEditable, where } from './editContext';
import { formatPointer } from './jsonPointer';
import {
  Rendered,
  RenderedMap,
  RenderedSeq,
  Source,
  sourcesIn,
  syntheticValue,
  yamlNodeOf,
} from './renderedTree';
import { blockLines, newScalarText } from './scalarText';
import {
  columnOf,
  contentEnd,
  dashBefore,
  lineBreakOf,
  lineOf,
  nextLineStart,
  startsLine,
  wholeLines,
} from './textEdits';

/*
 * Edits that add or remove a key or a list item: whole lines inserted or taken out of a block collection, with
 * its indentation. Flow collections (`{…}`, `[…]`) are not edited this way: a splice there is easy to get wrong.
 */

/** The indentation step a block collection uses for nested blocks (2 when it nests none). */
function indentStep(text: string, node: Node): number {
  let children: unknown[] = [];
  if (isMap(node)) children = node.items.map(p => p.value);
  else if (isSeq(node)) children = node.items;
  const own = firstContent(node);
  for (const c of children) {
    if ((isMap(c) || isSeq(c)) && !c.flow && own !== undefined) {
      const nested = firstContent(c as Node);
      if (nested !== undefined) {
        const step = columnOf(text, nested) - columnOf(text, own);
        if (step > 0) return step;
      }
    }
  }
  return 2;
}

/** Where a block collection's first entry starts: its first key, or its first item's `-`. */
function firstContent(node: Node): number | undefined {
  if (isMap(node)) {
    const key = node.items[0]?.key;
    return isScalar(key) && key.range ? key.range[0] : undefined;
  }
  if (isSeq(node)) {
    const item = node.items[0] as Node | undefined;
    return item?.range ? item.range[0] : undefined;
  }
  return undefined;
}

/** The document the change is added to: a change to an added value is not placed. */
function addedBy(source: Source, ctx: EditContext): Source {
  return {
    ...source,
    locked: `it is added by this change to ${ctx.label}`,
  };
}

/** Inserts whole lines after the line that holds offset `after`, and records the addition. */
function insertLines(
  ctx: EditContext,
  source: Source,
  after: number,
  lines: string[],
  pointer: string,
  value: unknown,
): void {
  const text = source.text;
  const br = lineBreakOf(text);
  const at = nextLineStart(text, Math.max(0, after - 1));
  const endsWithBreak = at > 0 && text[at - 1] === '\n';
  const inserted = endsWithBreak ? lines.join(br) + br : br + lines.join(br);
  ctx.textEdits.push({ file: source.file, start: at, end: at, text: inserted });
  ctx.edits.push({
    file: source.file,
    line: lineOf(text, at) + (endsWithBreak ? 0 : 1),
    pointer,
    op: 'add',
    to: value,
  });
}

/** Adds a key the repository does not have to a block mapping written in one place. */
export function addKey(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
  value: unknown,
): void {
  const map = path[path.length - 1] as RenderedMap;
  const key = tokens[tokens.length - 1];
  const pointer = formatPointer(tokens);
  if (map.blocks.length !== 1) {
    cannotPlace(
      `${ctx.label}: ${pointer} is new, and the mapping that gets it is ${
        map.blocks.length
          ? `merged from ${map.blocks.map(b => b.source.file).join(', ')}`
          : 'not written in a file'
      }; which one to add it to is a guess`,
    );
  }
  const deleter = map.deleted.get(key);
  if (deleter) {
    cannotPlace(
      `${ctx.label}: ${pointer} is new, but ${deleter.file} deletes it after ${map.blocks[0].source.file}`,
    );
  }
  const block = map.blocks[0];
  const source = requireEditable(ctx, path, pointer, block.source, map.locked);
  const node = block.node as YAMLMap;
  const first = firstContent(node);
  if (node.flow || first === undefined) {
    cannotPlace(
      `${
        ctx.label
      }: ${pointer} would be added to a flow mapping ({…}) in ${where(
        map,
      )}, which is not edited`,
    );
  }
  const indent = columnOf(source.text, first);
  const keyText = newScalarText(key) ?? JSON.stringify(key);
  const scalar = newScalarText(value);
  const step = indentStep(source.text, node);
  const lines =
    scalar !== undefined
      ? [`${' '.repeat(indent)}${keyText}: ${scalar}`]
      : [
          `${' '.repeat(indent)}${keyText}:`,
          ...blockLines(value, indent + step, step),
        ];
  insertLines(ctx, source, contentEnd(node), lines, pointer, value);
  map.entries.set(key, { value: syntheticValue(value, addedBy(source, ctx)) });
}

/** Why a list cannot get an item by inserting lines. */
function describeList(seq: RenderedSeq, ctx: EditContext): string {
  if (seq.reshaped) return 'a JSON patch of the repository reshapes';
  if (ctx.shortened.has(seq)) return 'this change also shortens';
  return 'is not a block list written in a file';
}

/** Appends an item to a block list written in one place, in its items' indentation. */
export function appendItem(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
  value: unknown,
): void {
  const seq = path[path.length - 1] as RenderedSeq;
  const pointer = formatPointer(tokens);
  const node = seq.node;
  const last = node?.items[node.items.length - 1] as Node | undefined;
  if (
    !node ||
    node.flow ||
    !last?.range ||
    seq.reshaped ||
    ctx.shortened.has(seq)
  ) {
    cannotPlace(
      `${ctx.label}: ${pointer} appends to a list that ${describeList(
        seq,
        ctx,
      )} (${where(seq)}), which is not edited`,
    );
  }
  const source = requireEditable(ctx, path, pointer);
  const text = source.text;
  const dash = dashBefore(text, last.range[0]);
  if (dash === undefined || !startsLine(text, dash)) {
    cannotPlace(
      `${ctx.label}: the items of the list at ${pointer} in ${where(
        seq,
      )} do not start their lines`,
    );
  }
  const dashColumn = columnOf(text, dash);
  const contentColumn = columnOf(text, last.range[0]);
  const scalar = newScalarText(value);
  let lines: string[];
  if (scalar !== undefined) {
    lines = [`${' '.repeat(dashColumn)}- ${scalar}`];
  } else if (!Array.isArray(value)) {
    const step = isMap(last) ? indentStep(text, last) : 2;
    lines = blockLines(value, contentColumn, step);
    lines[0] = `${' '.repeat(dashColumn)}-${' '.repeat(
      contentColumn - dashColumn - 1,
    )}${lines[0].trimStart()}`;
  } else {
    cannotPlace(
      `${ctx.label}: ${pointer} would append a list to a list, which is not placed`,
    );
  }
  insertLines(ctx, source, contentEnd(node), lines, pointer, value);
  seq.items.push(syntheticValue(value, addedBy(source, ctx)));
}

/** Whether every part of `r` and every value it replaced comes from `source`: removing it there removes it. */
function writtenOnlyIn(r: Rendered, source: Source): boolean {
  return [...sourcesIn(r)].every(s => s === source);
}

/** Takes a key out of a block mapping, when it is written in exactly one place and starts its line. */
export function removeKey(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
): void {
  const map = path[path.length - 2] as RenderedMap;
  const key = tokens[tokens.length - 1];
  const pointer = formatPointer(tokens);
  const entry = map.entries.get(key)!;
  const value = entry.value;
  if (
    !entry.key?.range ||
    !entry.block ||
    !writtenOnlyIn(value, entry.block.source)
  ) {
    cannotPlace(
      `${ctx.label}: ${pointer} is written in several places (${[
        ...sourcesIn(value),
      ]
        .map(s => s.file)
        .join(', ')}); removing it from one would leave another`,
    );
  }
  const source = requireEditable(ctx, path, pointer);
  const text = source.text;
  if (
    entry.block.node.flow ||
    !startsLine(text, entry.key.range[0]) ||
    map.entries.size < 2
  ) {
    cannotPlace(
      `${ctx.label}: ${pointer} (${where(
        value,
      )}) cannot be removed by taking out whole lines`,
    );
  }
  const end = contentEnd((yamlNodeOf(value) ?? entry.key) as Node);
  const lines = wholeLines(text, entry.key.range[0], end);
  ctx.textEdits.push({ file: source.file, ...lines, text: '' });
  ctx.edits.push({
    file: source.file,
    line: lineOf(text, entry.key.range[0]),
    pointer,
    op: 'remove',
    from: entry.value.kind === 'scalar' ? entry.value.value : undefined,
  });
  map.entries.delete(key);
}

/** Takes an item out of a block list, when it is written in exactly one place and its `-` starts its line. */
export function removeItem(
  ctx: EditContext,
  path: Rendered[],
  tokens: string[],
  from: unknown,
): void {
  const seq = path[path.length - 2] as RenderedSeq;
  const index = Number(tokens[tokens.length - 1]);
  const item = seq.items[index];
  const pointer = formatPointer(tokens);
  const node = yamlNodeOf(item);
  if (
    !seq.node ||
    seq.node.flow ||
    seq.reshaped ||
    !node?.range ||
    !writtenOnlyIn(item, seq.source)
  ) {
    cannotPlace(
      `${ctx.label}: ${pointer} (${where(
        item,
      )}) cannot be removed by taking out whole lines of one list`,
    );
  }
  if (seq.items.length < 2) {
    cannotPlace(
      `${ctx.label}: removing ${pointer} would leave its list empty, which YAML writes differently`,
    );
  }
  const source = requireEditable(ctx, path, pointer);
  const text = source.text;
  const dash = dashBefore(text, node.range[0]);
  if (dash === undefined || !startsLine(text, dash)) {
    cannotPlace(
      `${ctx.label}: ${pointer} in ${where(item)} does not start its line`,
    );
  }
  ctx.textEdits.push({
    file: source.file,
    ...wholeLines(text, dash, contentEnd(node)),
    text: '',
  });
  ctx.edits.push({
    file: source.file,
    line: lineOf(text, dash),
    pointer,
    op: 'remove',
    from,
  });
  seq.items.splice(index, 1);
  ctx.shortened.add(seq);
}
