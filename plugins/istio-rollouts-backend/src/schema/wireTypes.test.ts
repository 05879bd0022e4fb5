/**
 * The wire types are written by hand twice — common's `src/api` (what the
 * plugins use) and the generated models here (what the router is typed with;
 * the generator needs Java) — and both must say what openapi.yaml says. This
 * test reads the TypeScript types with the compiler and compares them with
 * the document's component schemas, property by property: every schema
 * property has a typed counterpart with the same type and optionality, and
 * every typed property has a schema property.
 */
import fs from 'fs';
import path from 'path';
import ts from 'typescript';
import { parse } from 'yaml';

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
}

const document = parse(
  fs.readFileSync(path.resolve(__dirname, 'openapi.yaml'), 'utf8'),
);
const schemas: Record<string, Schema> = document.components.schemas;
const refName = (ref: string) => ref.split('/').pop()!;

/** The exported interfaces and type aliases of a module, by name. */
function typesExportedBy(file: string) {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const types = new Map<string, ts.Type>();
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias
        ? checker.getAliasedSymbol(exported)
        : exported;
    if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      types.set(exported.name, checker.getDeclaredTypeOfSymbol(symbol));
    }
  }
  return { checker, types };
}

/** Compares schemas with types, collecting every difference. */
class WireComparison {
  readonly problems: string[] = [];
  readonly reached = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** Compares one schema with the types the members of a union give a property. */
  compare(schema: Schema, raw: ts.Type | ts.Type[], at: string): void {
    if (schema.$ref) {
      const name = refName(schema.$ref);
      this.reached.add(name);
      this.compare(schemas[name], raw, name);
      return;
    }
    const all = Array.isArray(raw) ? raw : [raw];
    if (schema.enum) {
      // A discriminated union: its members' literals together are the enum.
      const literals = new Set(
        all.flatMap(t => {
          const type = this.checker.getNonNullableType(t);
          return (type.isUnion() ? type.types : [type]).map(u =>
            u.isStringLiteral() ? u.value : this.checker.typeToString(u),
          );
        }),
      );
      if (
        [...literals].sort().join('|') !==
        [...(schema.enum as string[])].sort().join('|')
      ) {
        this.problems.push(
          `${at}: the document says one of ${schema.enum.join(
            ', ',
          )}, but the type says ${[...literals].join(', ')}`,
        );
      }
      return;
    }
    for (const one of all) {
      const key = `${at}:${this.checker.typeToString(
        this.checker.getNonNullableType(one),
      )}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.compareOne(schema, one, at);
    }
  }

  private compareOne(schema: Schema, raw: ts.Type, at: string): void {
    if (!schema.type && !schema.properties) {
      if (!(raw.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
        this.problems.push(
          `${at}: the document allows any JSON value, but the type is ${this.checker.typeToString(
            raw,
          )}`,
        );
      }
      return;
    }
    const type = this.checker.getNonNullableType(raw);
    const shown = this.checker.typeToString(type);
    const problem = (what: string) =>
      this.problems.push(`${at}: ${what}, but the type is ${shown}`);
    const has = (flags: ts.TypeFlags) => (type.flags & flags) !== 0;
    // `nullable: true` in the document is `| null` in the type, and only then.
    const nullable = (raw.isUnion() ? raw.types : [raw]).some(
      t => t.flags & ts.TypeFlags.Null,
    );
    if (nullable !== !!schema.nullable) {
      this.problems.push(
        `${at}: ${
          schema.nullable ? 'nullable' : 'not nullable'
        } in the document, ${
          nullable ? 'nullable' : 'not nullable'
        } in the type`,
      );
    }
    switch (schema.type) {
      case undefined:
        this.compareObject(schema, type, at);
        return;
      case 'string':
        if (!has(ts.TypeFlags.String)) problem('the document says string');
        return;
      case 'integer':
      case 'number':
        if (!has(ts.TypeFlags.Number)) problem('the document says number');
        return;
      case 'boolean':
        if (!has(ts.TypeFlags.BooleanLike))
          problem('the document says boolean');
        return;
      case 'array':
        if (this.checker.isTupleType(type)) {
          // A fixed-length array: `minItems` = `maxItems` = the tuple's length.
          const elements = this.checker.getTypeArguments(
            type as ts.TypeReference,
          );
          if (
            schema.minItems !== elements.length ||
            schema.maxItems !== elements.length
          ) {
            problem(
              `the document says an array of ${schema.minItems ?? 0} to ${
                schema.maxItems ?? 'any number of'
              } items`,
            );
          }
          elements.forEach((element, i) =>
            this.compare(schema.items ?? {}, element, `${at}[${i}]`),
          );
        } else if (!this.checker.isArrayType(type)) {
          problem('the document says array');
        } else {
          const [item] = this.checker.getTypeArguments(
            type as ts.TypeReference,
          );
          this.compare(schema.items ?? {}, item, `${at}[]`);
        }
        return;
      case 'object':
        this.compareObject(schema, type, at);
        return;
      default:
        problem(`the document says ${schema.type}`);
    }
  }

  /** An object, or a union of objects (a property is required when every member requires it). */
  private compareObject(schema: Schema, type: ts.Type, at: string): void {
    const members = type.isUnion() ? type.types : [type];
    const found = new Map<string, { types: ts.Type[]; required: number }>();
    for (const member of members) {
      for (const property of this.checker.getPropertiesOfType(member)) {
        const propertyType = this.checker.getTypeOfSymbol(property);
        // `index?: undefined` marks a field one member of a union lacks.
        const defined = this.checker.getNonNullableType(propertyType);
        if (defined.flags & ts.TypeFlags.Never) continue;
        const entry = found.get(property.name) ?? { types: [], required: 0 };
        entry.types.push(propertyType);
        if (!(property.flags & ts.SymbolFlags.Optional)) entry.required += 1;
        found.set(property.name, entry);
      }
    }
    const documented = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    for (const name of Object.keys(documented)) {
      if (!found.has(name))
        this.problems.push(`${at}.${name}: not in the type`);
    }
    for (const [name, entry] of found) {
      if (!documented[name]) {
        this.problems.push(`${at}.${name}: not in the document`);
        continue;
      }
      const isRequired = entry.required === members.length;
      if (isRequired !== required.has(name)) {
        this.problems.push(
          `${at}.${name}: ${
            required.has(name) ? 'required' : 'optional'
          } in the document, ${
            isRequired ? 'required' : 'optional'
          } in the type`,
        );
      }
      this.compare(documented[name], entry.types, `${at}.${name}`);
    }
    const extra = schema.additionalProperties;
    if (typeof extra === 'object') {
      const index = this.checker
        .getIndexInfosOfType(type)
        .find(info => info.keyType.flags & ts.TypeFlags.String);
      if (!index)
        this.problems.push(`${at}: a map in the document, not in the type`);
      else this.compare(extra, index.type, `${at}[key]`);
    }
  }
}

/** Compares every component schema with the type of the same (or the mapped) name. */
function compareAll(file: string, names: Record<string, string> = {}) {
  const { checker, types } = typesExportedBy(file);
  const comparison = new WireComparison(checker);
  for (const name of Object.keys(schemas)) {
    const type = types.get(names[name] ?? name);
    if (type) {
      comparison.compare({ $ref: `#/components/schemas/${name}` }, type, name);
    }
  }
  const unreached = Object.keys(schemas).filter(
    name => !comparison.reached.has(name),
  );
  return { checker, types, comparison, unreached };
}

const COMMON_API = path.resolve(
  path.dirname(
    require.resolve('@internal/plugin-istio-rollouts-common/package.json'),
  ),
  'src/api/index.ts',
);

describe('the wire types', () => {
  it("common's src/api says what openapi.yaml says", () => {
    const { types, comparison, unreached } = compareAll(COMMON_API);
    // Backstage's own error shape: the plugin adds `reason` to it.
    comparison.compare(
      schemas.Error.properties!.error.properties!.reason,
      types.get('RolloutActionConflictReason')!,
      'Error.error.reason',
    );
    expect(comparison.problems).toEqual([]);
    expect(unreached).toEqual(['Error']);
    // Types that are no schema of their own: parts of one.
    const parts = [
      'ActionRequestBase',
      'SetWeightsRequest',
      'PromoteRequest',
      'RollbackRequest',
      'SwitchRequest',
      'StartCanaryRequest',
      'FinishRequest',
      'PhaseState',
      'RolloutPhase',
      'HistoryEventStatus',
      'RolloutActionConflictReason',
      // A plan step is one PlanStep schema with each member's field.
      'SetWeightStep',
      'PauseStep',
      'AnalysisStep',
      // Bases and intersections, spelled out where they are used.
      'StepPlanSteps',
      'StepPlanPauseReason',
      'StepPlanRouteVersion',
    ];
    expect(
      [...types.keys()].filter(name => !schemas[name] && !parts.includes(name)),
    ).toEqual([]);
  });

  it('the generated models say what openapi.yaml says', () => {
    const { comparison, unreached } = compareAll(
      path.resolve(__dirname, 'openapi/generated/models/index.ts'),
      { Error: 'ModelError' },
    );
    expect(comparison.problems).toEqual([]);
    expect(unreached).toEqual([]);
  });

  it('tells a difference', () => {
    const file = path.resolve(__dirname, 'openapi/generated/models/index.ts');
    const { checker, types } = typesExportedBy(file);
    const comparison = new WireComparison(checker);
    comparison.compare(
      {
        type: 'object',
        required: ['kind', 'extra'],
        properties: { kind: { type: 'integer' }, extra: { type: 'string' } },
      },
      types.get('RouteRef')!,
      'RouteRef',
    );
    expect(comparison.problems).toEqual([
      'RouteRef.extra: not in the type',
      'RouteRef.kind: the document says number, but the type is RouteKind',
      'RouteRef.index: not in the document',
      'RouteRef.name: not in the document',
    ]);
  });

  it('tells a difference in nullability and in the length of a fixed-length array', () => {
    const { checker, types } = typesExportedBy(COMMON_API);
    const comparison = new WireComparison(checker);
    comparison.compare(
      {
        type: 'object',
        required: ['metric', 'value', 'stableValue', 'threshold', 'passed'],
        properties: {
          metric: { type: 'string', enum: ['successRate', 'latencyP99'] },
          value: { type: 'number' },
          stableValue: { type: 'number', nullable: true },
          threshold: { type: 'number', nullable: true },
          passed: { type: 'boolean' },
        },
      },
      types.get('CanaryCheck')!,
      'CanaryCheck',
    );
    comparison.compare(
      { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string' } },
      types.get('MetricPoint')!,
      'MetricPoint',
    );
    expect(comparison.problems).toEqual([
      'CanaryCheck.value: not nullable in the document, nullable in the type',
      'CanaryCheck.threshold: nullable in the document, not nullable in the type',
      'MetricPoint: the document says an array of 3 to 3 items, but the type is MetricPoint',
      'MetricPoint[0]: the document says string, but the type is number',
      'MetricPoint[1]: the document says string, but the type is number',
    ]);
  });
});
