/*
 * Label selectors in the full Kubernetes string syntax
 * (k8s.io/apimachinery/pkg/labels): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-joined (AND).
 */

export type Operator =
  | 'Equals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Selector = Requirement[];

/** Thrown for selectors the real server would reject with 400 BadRequest. */
export class SelectorParseError extends Error {}

type Token =
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'eof' };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);
const TWO_CHAR_OPS = new Set(['!=', '==']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      if (TWO_CHAR_OPS.has(two)) {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else {
        tokens.push({ kind: 'op', value: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j]) && !/\s/.test(input[j]))
      j++;
    tokens.push({ kind: 'id', value: input.slice(i, j) });
    i = j;
  }
  tokens.push({ kind: 'eof' });
  return tokens;
}

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN_RE =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Validates a label key (optional DNS-subdomain prefix + `/` + name). */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    if (!prefix || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) {
      return `prefix part must be a lowercase RFC 1123 subdomain`;
    }
    name = rest;
  } else if (parts.length > 2) {
    return `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'`;
  }
  if (!name || name.length > 63 || !NAME_RE.test(name)) {
    return `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!NAME_RE.test(value)) {
    return `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

function describe(t: Token): string {
  return t.kind === 'eof' ? '' : t.value;
}

/** Parses a selector string; the empty string selects everything. */
export function parseLabelSelector(input: string): Selector {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const requirements: Requirement[] = [];

  const requirement = (key: string, operator: Operator, values: string[]) => {
    const keyErr = validateLabelKey(key);
    if (keyErr) {
      throw new SelectorParseError(
        `unable to parse requirement: key: Invalid value: "${key}": ${keyErr}`,
      );
    }
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      throw new SelectorParseError(
        `unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
      );
    }
    if (operator === 'GreaterThan' || operator === 'LessThan') {
      if (!/^-?\d+$/.test(values[0])) {
        throw new SelectorParseError(
          `unable to parse requirement: values[0]: Invalid value: "${values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
    } else {
      for (const v of values) {
        const valueErr = validateLabelValue(v);
        if (valueErr) {
          throw new SelectorParseError(
            `unable to parse requirement: values[0][${key}]: Invalid value: "${v}": ${valueErr}`,
          );
        }
      }
    }
    requirements.push({ key, operator, values });
  };

  if (peek().kind === 'eof') return [];

  for (;;) {
    const t = next();
    if (t.kind === 'op' && t.value === '!') {
      const k = next();
      if (k.kind !== 'id') {
        throw new SelectorParseError(
          `found '${describe(k)}', expected: identifier`,
        );
      }
      requirement(k.value, 'DoesNotExist', []);
    } else if (t.kind === 'id') {
      const key = t.value;
      const op = peek();
      if (op.kind === 'eof' || (op.kind === 'op' && op.value === ',')) {
        requirement(key, 'Exists', []);
      } else if (
        op.kind === 'id' &&
        (op.value === 'in' || op.value === 'notin')
      ) {
        next();
        const open = next();
        if (!(open.kind === 'op' && open.value === '(')) {
          throw new SelectorParseError(
            `found '${describe(open)}', expected: '('`,
          );
        }
        // Values between the parentheses; an empty slot (`in (a,)`) is the empty value.
        const values: string[] = [];
        let current: string | undefined;
        let sawAny = false;
        for (;;) {
          const v = next();
          if (v.kind === 'op' && v.value === ')') {
            if (sawAny) values.push(current ?? '');
            break;
          }
          if (v.kind === 'op' && v.value === ',') {
            values.push(current ?? '');
            current = undefined;
            sawAny = true;
            continue;
          }
          if (v.kind === 'id' && current === undefined) {
            current = v.value;
            sawAny = true;
            continue;
          }
          throw new SelectorParseError(
            `found '${describe(v)}', expected: ',', ')' or identifier`,
          );
        }
        requirement(key, op.value === 'in' ? 'In' : 'NotIn', values);
      } else if (
        op.kind === 'op' &&
        ['=', '==', '!=', '>', '<'].includes(op.value)
      ) {
        next();
        const v = peek();
        let value = '';
        if (v.kind === 'id') {
          value = v.value;
          next();
        } else if (
          !(v.kind === 'eof' || (v.kind === 'op' && v.value === ','))
        ) {
          throw new SelectorParseError(
            `found '${describe(v)}', expected: identifier`,
          );
        }
        const operators: Record<string, Operator> = {
          '=': 'Equals',
          '==': 'Equals',
          '!=': 'NotEquals',
          '>': 'GreaterThan',
          '<': 'LessThan',
        };
        const operator = operators[op.value];
        requirement(key, operator, [value]);
      } else {
        throw new SelectorParseError(
          `found '${describe(op)}', expected: in, notin, =, ==, !=, gt, lt`,
        );
      }
    } else {
      throw new SelectorParseError(
        `found '${describe(t)}', expected: !, identifier`,
      );
    }

    const sep = next();
    if (sep.kind === 'eof') break;
    if (!(sep.kind === 'op' && sep.value === ',')) {
      throw new SelectorParseError(
        `found '${describe(sep)}', expected: ',' or 'end of string'`,
      );
    }
    if (peek().kind === 'eof') {
      throw new SelectorParseError(`found '', expected: !, identifier`);
    }
  }
  return requirements;
}

export function matchesLabels(
  selector: Selector,
  labels: Record<string, string> | undefined,
): boolean {
  const ls = labels ?? {};
  return selector.every(r => {
    const has = Object.prototype.hasOwnProperty.call(ls, r.key);
    const value = ls[r.key];
    switch (r.operator) {
      case 'Equals':
      case 'In':
        return has && r.values.includes(value);
      case 'NotEquals':
      case 'NotIn':
        return !has || !r.values.includes(value);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'GreaterThan':
      case 'LessThan': {
        if (!has || !/^-?\d+$/.test(value)) return false;
        const a = Number(value);
        const b = Number(r.values[0]);
        return r.operator === 'GreaterThan' ? a > b : a < b;
      }
      default:
        return false;
    }
  });
}
