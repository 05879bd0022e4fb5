/*
 * Field selectors (k8s.io/apimachinery/pkg/fields): comma-joined
 * `field=value`, `field==value`, `field!=value` terms, with `\` escaping
 * `,`, `=`, `!` and `\` in values.
 */

export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

export class FieldSelectorParseError extends Error {}

function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms;
}

function unescape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const n = value[i + 1];
      if (n === undefined || !'\\,=!'.includes(n)) {
        throw new FieldSelectorParseError(
          `invalid field selector: invalid escape sequence: \\${n ?? ''}`,
        );
      }
      out += n;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  return splitTerms(input).map(term => {
    // The first unescaped operator splits field from value.
    for (let i = 0; i < term.length; i++) {
      if (term[i] === '\\') {
        i++;
        continue;
      }
      if (term.startsWith('!=', i)) {
        return {
          field: term.slice(0, i).trim(),
          operator: 'NotEquals',
          value: unescape(term.slice(i + 2)),
        };
      }
      if (term.startsWith('==', i)) {
        return {
          field: term.slice(0, i).trim(),
          operator: 'Equals',
          value: unescape(term.slice(i + 2)),
        };
      }
      if (term[i] === '=') {
        return {
          field: term.slice(0, i).trim(),
          operator: 'Equals',
          value: unescape(term.slice(i + 1)),
        };
      }
    }
    throw new FieldSelectorParseError(
      `invalid selector: '${input}'; can't understand '${term}'`,
    );
  });
}

/** Reads a dotted path as the string the server compares against. */
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every(r => {
    const v = fieldValue(obj, r.field);
    return r.operator === 'Equals' ? v === r.value : v !== r.value;
  });
}
