import { isCollection, isMap, isSeq, Node } from 'yaml';
import { cannotPlace } from './CannotPlace';

/** A replacement of `[start, end)` of a file's original text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** The 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (
    let i = text.indexOf('\n');
    i >= 0 && i < offset;
    i = text.indexOf('\n', i + 1)
  ) {
    line++;
  }
  return line;
}

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line holding `offset` (past its line break, or the end of the text). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The column of an offset (0-based). */
export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Whether only spaces stand before `offset` on its line: the node starts the line. */
export function startsLine(text: string, offset: number): boolean {
  return /^ *$/.test(text.slice(lineStart(text, offset), offset));
}

/** The line break a file uses. */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Where a node's own text ends, before trailing comments and blank lines. */
export function contentEnd(node: Node): number {
  if (isCollection(node) && !node.flow) {
    const last = node.items[node.items.length - 1];
    if (isMap(node) && last && typeof last === 'object' && 'key' in last) {
      const pair = last as { key: unknown; value: unknown };
      const end = (pair.value ?? pair.key) as Node;
      return contentEnd(end);
    }
    if (isSeq(node) && last) return contentEnd(last as Node);
  }
  const range = node.range;
  if (!range) return cannotPlace('a YAML node has no position in its file');
  // A block scalar's range ends past its final line break; `wholeLines` steps back onto its last line.
  return range[1];
}

/** The offset of the `- ` indicator of a block list item whose content starts at `itemStart`. */
export function dashBefore(
  text: string,
  itemStart: number,
): number | undefined {
  let i = itemStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? i : undefined;
}

/** The lines that cover a node, from the start of its first line to past its last: what removing it removes. */
export function wholeLines(text: string, start: number, end: number) {
  return {
    start: lineStart(text, start),
    end: nextLineStart(text, Math.max(start, end - 1)),
  };
}

/**
 * Applies edits to a file's original text. Insertions at one offset keep the order they were made in; edits
 * that overlap are two changes to one place, which the placement never makes on purpose.
 */
export function applyTextEdits(
  file: string,
  text: string,
  edits: TextEdit[],
): string {
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => b.edit.start - a.edit.start || b.order - a.order)
    .map(e => e.edit);
  let out = text;
  let limit = text.length;
  for (const edit of sorted) {
    if (edit.end > limit) {
      cannotPlace(`two edits of the change overlap in ${file}`);
    }
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}
