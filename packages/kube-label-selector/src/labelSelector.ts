/*
 * Kubernetes label selectors in their string syntax, parsed and matched the
 * way k8s.io/apimachinery/pkg/labels does (`labels.Parse`,
 * `Requirement.Matches`), so what the plugin checks in memory is what the API
 * server would select. No npm package in the tree parses them. The backend
 * and kube-sim share this one copy; its tests pin Kubernetes' behaviour.
 */

import {
  parseInt64,
  validateLabelKey,
  validateLabelValue,
} from './labelSyntax';

export { validateLabelKey, validateLabelValue };

export type LabelOperator =
  | 'Equals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

/** One comma-separated term of a selector; a selector is their AND. */
export interface LabelRequirement {
  readonly key: string;
  /** `=` and `==` are both `Equals`, as in Kubernetes. */
  readonly operator: LabelOperator;
  /**
   * Sorted and distinct (Kubernetes keeps a set): one value for `Equals`,
   * `NotEquals`, `GreaterThan`, `LessThan`; none for `Exists`, `DoesNotExist`.
   */
  readonly values: readonly string[];
}

/** A selector the API server would refuse with 400 BadRequest. */
export class LabelSelectorSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorSyntaxError';
  }
}

type TokenKind =
  | 'id'
  | '!'
  | '!='
  | '='
  | '=='
  | '('
  | ')'
  | ','
  | '>'
  | '<'
  | 'in'
  | 'notin'
  | 'end';

interface Token {
  kind: TokenKind;
  text: string;
}

// Kubernetes' lexer: these split identifiers; `!=` and `==` are read greedily.
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (WHITESPACE.has(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      const text = two === '!=' || two === '==' ? two : c;
      tokens.push({ kind: text as TokenKind, text });
      i += text.length;
    } else {
      let j = i;
      while (
        j < input.length &&
        !SPECIAL.has(input[j]) &&
        !WHITESPACE.has(input[j])
      ) {
        j++;
      }
      const text = input.slice(i, j);
      const kind = text === 'in' || text === 'notin' ? text : 'id';
      tokens.push({ kind, text });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

const BINARY: Partial<Record<TokenKind, LabelOperator>> = {
  '=': 'Equals',
  '==': 'Equals',
  '!=': 'NotEquals',
  '>': 'GreaterThan',
  '<': 'LessThan',
  in: 'In',
  notin: 'NotIn',
};

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  // In value and key position the keywords `in`/`notin` are plain identifiers.
  private peek(): Token {
    const t = this.tokens[this.pos];
    return t.kind === 'in' || t.kind === 'notin'
      ? { kind: 'id', text: t.text }
      : t;
  }
  private next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }
  private nextRaw(): Token {
    return this.tokens[this.pos++];
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'end') return requirements;
      if (t.kind !== 'id' && t.kind !== '!') {
        throw new LabelSelectorSyntaxError(
          `found '${t.text}', expected: !, identifier, or 'end of string'`,
        );
      }
      requirements.push(this.requirement());
      const sep = this.next();
      if (sep.kind === 'end') return requirements;
      if (sep.kind !== ',') {
        throw new LabelSelectorSyntaxError(
          `found '${sep.text}', expected: ',' or 'end of string'`,
        );
      }
      const after = this.peek();
      if (after.kind !== 'id' && after.kind !== '!') {
        throw new LabelSelectorSyntaxError(
          `found '${after.text}', expected: identifier after ','`,
        );
      }
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    const negated = t.kind === '!';
    if (negated) t = this.next();
    if (t.kind !== 'id') {
      throw new LabelSelectorSyntaxError(
        `found '${t.text}', expected: identifier`,
      );
    }
    const key = t.text;
    const ahead = this.peek().kind;
    if (negated || ahead === 'end' || ahead === ',') {
      return build(key, negated ? 'DoesNotExist' : 'Exists', []);
    }
    const op = this.nextRaw();
    const operator = BINARY[op.kind];
    if (!operator) {
      throw new LabelSelectorSyntaxError(
        `found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`,
      );
    }
    const values =
      operator === 'In' || operator === 'NotIn'
        ? this.valueSet()
        : [this.exactValue()];
    return build(key, operator, values);
  }

  // `a=` is `a` equal to the empty value, as in Kubernetes.
  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === ',') return '';
    this.next();
    if (t.kind !== 'id') {
      throw new LabelSelectorSyntaxError(
        `found '${t.text}', expected: identifier`,
      );
    }
    return t.text;
  }

  // `(a,b)`; an empty slot (`()`, `(a,)`, `(,a)`) is the empty value.
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw new LabelSelectorSyntaxError(`found '${open.text}', expected: '('`);
    }
    const values: string[] = [];
    let slot: string | undefined;
    for (;;) {
      const t = this.next();
      if (t.kind === ')') {
        values.push(slot ?? '');
        return values;
      }
      if (t.kind === ',') {
        values.push(slot ?? '');
        slot = undefined;
      } else if (t.kind === 'id' && slot === undefined) {
        slot = t.text;
      } else {
        throw new LabelSelectorSyntaxError(
          `found '${t.text}', expected: ',', ')' or identifier`,
        );
      }
    }
  }
}

function build(
  key: string,
  operator: LabelOperator,
  raw: string[],
): LabelRequirement {
  const keyError = validateLabelKey(key);
  if (keyError) {
    throw new LabelSelectorSyntaxError(
      `invalid label key "${key}": ${keyError}`,
    );
  }
  const values = [...new Set(raw)].sort();
  for (const value of values) {
    const valueError = validateLabelValue(value);
    if (valueError) {
      throw new LabelSelectorSyntaxError(
        `invalid value "${value}" for label key "${key}": ${valueError}`,
      );
    }
    if (
      (operator === 'GreaterThan' || operator === 'LessThan') &&
      parseInt64(value) === undefined
    ) {
      throw new LabelSelectorSyntaxError(
        `invalid value "${value}" for label key "${key}": the value of '>' and '<' must be an integer`,
      );
    }
  }
  return { key, operator, values };
}

/**
 * Parses a label selector. The empty selector is `[]`, which selects every
 * object. Requirements come back sorted by key, as Kubernetes sorts them.
 *
 * @throws LabelSelectorSyntaxError for what the API server would refuse.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = new Parser(tokenize(selector)).parse();
  return requirements
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compare(a.r.key, b.r.key) || a.i - b.i)
    .map(({ r }) => r);
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const SYMBOL: Record<LabelOperator, string> = {
  Equals: '=',
  NotEquals: '!=',
  In: ' in ',
  NotIn: ' notin ',
  Exists: '',
  DoesNotExist: '',
  GreaterThan: '>',
  LessThan: '<',
};

/**
 * The canonical string of requirements (`Selector.String()` in Kubernetes):
 * what the plugin sends as `labelSelector`, so the API server selects exactly
 * what was checked here.
 */
export function formatLabelSelector(
  requirements: readonly LabelRequirement[],
): string {
  return requirements
    .map(({ key, operator, values }) => {
      if (operator === 'Exists') return key;
      if (operator === 'DoesNotExist') return `!${key}`;
      if (operator === 'In' || operator === 'NotIn') {
        return `${key}${SYMBOL[operator]}(${values.join(',')})`;
      }
      return `${key}${SYMBOL[operator]}${values[0]}`;
    })
    .join(',');
}

/**
 * Whether labels satisfy every requirement, with Kubernetes semantics:
 * `!=` and `notin` match objects without the key; `>`/`<` compare integers
 * and never match a missing or non-integer label. No requirements match all.
 */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return requirements.every(r => matchesRequirement(r, labels ?? {}));
}

function matchesRequirement(
  { key, operator, values }: LabelRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  // Own properties only: `constructor` is a valid label key.
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const value = has ? labels[key] : undefined;
  switch (operator) {
    case 'Equals':
    case 'In':
      return has && values.includes(value!);
    case 'NotEquals':
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      const actual = has ? parseInt64(value!) : undefined;
      const bound = parseInt64(values[0]);
      if (actual === undefined || bound === undefined) return false;
      return operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** A label every selected object must carry with exactly this value. */
export interface LabelPair {
  key: string;
  value: string;
}

/**
 * The requirements that pin a label to one value (`key=value`, `key==value`,
 * `key in (value)`). Only these narrow a selection to objects someone
 * labelled on purpose; negation, existence, `notin`, several values and
 * `>`/`<` alone can match objects of anyone.
 */
export function equalityRequirements(
  requirements: readonly LabelRequirement[],
): LabelPair[] {
  return requirements
    .filter(
      r =>
        (r.operator === 'Equals' || r.operator === 'In') &&
        r.values.length === 1,
    )
    .map(r => ({ key: r.key, value: r.values[0] }));
}

export function hasEqualityRequirement(
  requirements: readonly LabelRequirement[],
): boolean {
  return equalityRequirements(requirements).length > 0;
}
