import { diffLines } from 'diff';
import { stringify } from 'yaml';

/** What a change does to one line of a route's YAML. */
export type YamlLineChange = 'added' | 'removed' | 'unchanged';

/** One line of a route stanza's YAML, as a unified diff shows it. */
export interface YamlDiffLine {
  change: YamlLineChange;
  /** The line without its newline. */
  text: string;
}

/**
 * A raw route stanza (`spec.http[0]` as the backend returns it) as YAML, keys
 * in the object's order. Long values stay on one line (`lineWidth: 0`): the
 * preview scrolls sideways instead of folding them into lines that would
 * show up as changes of their own. No stanza (a route added or removed) is
 * no text.
 */
export function stanzaYaml(stanza: unknown): string {
  if (stanza === undefined || stanza === null) return '';
  return stringify(stanza, { lineWidth: 0, minContentWidth: 0 });
}

function linesOf(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

/**
 * The route after the change as YAML, line by line, with the lines of the
 * route before it that the change removes in their place: a unified diff of
 * the whole stanza, so every unchanged line is context.
 */
export function yamlDiffLines(before: unknown, after: unknown): YamlDiffLine[] {
  return diffLines(stanzaYaml(before), stanzaYaml(after)).flatMap(part => {
    let change: YamlLineChange = 'unchanged';
    if (part.added) change = 'added';
    else if (part.removed) change = 'removed';
    return linesOf(part.value).map(text => ({ change, text }));
  });
}

/** The marker a unified diff puts before a line: `+` added, `-` removed, a space for context. */
export function diffMarker(change: YamlLineChange): '+' | '-' | ' ' {
  if (change === 'added') return '+';
  if (change === 'removed') return '-';
  return ' ';
}

/** How many lines a change adds and removes, e.g. for `2 lines removed, 2 added`. */
export function countChangedLines(lines: YamlDiffLine[]): {
  added: number;
  removed: number;
} {
  return {
    added: lines.filter(l => l.change === 'added').length,
    removed: lines.filter(l => l.change === 'removed').length,
  };
}

/** `2 lines removed, 2 added`, `1 line added`, `no line changed`. */
export function describeChangedLines(lines: YamlDiffLine[]): string {
  const { added, removed } = countChangedLines(lines);
  const counts = [
    { n: removed, what: 'removed' },
    { n: added, what: 'added' },
  ].filter(c => c.n > 0);
  if (counts.length === 0) return 'no line changed';
  return counts
    .map(({ n, what }, i) =>
      i === 0 ? `${n} line${n === 1 ? '' : 's'} ${what}` : `${n} ${what}`,
    )
    .join(', ');
}
