import { InputError } from '@backstage/errors';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
};

type Spec = { components: { schemas: Record<string, unknown> } };

/** One message of the OpenAPI validator about the body: `request/body/weights/v1 must be integer`. */
const BODY_MESSAGE = /^request\/body((?:\/\S+)?) (.+)$/;

function resolve(spec: Spec, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  return spec.components.schemas[name] as Schema | undefined;
}

/** `/weights/v1` → `weights.v1`, `/steps/2/setWeight` → `steps[2].setWeight`: the way the planners name fields. */
function fieldName(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment, i) =>
      /^\d+$/.test(segment) ? `[${segment}]` : `${i ? '.' : ''}${segment}`,
    )
    .join('');
}

function reword(
  path: string,
  reason: string,
  body: unknown,
  spec: Spec,
  bodySchema: string,
): string {
  const required = reason.match(/^must have required property '(.+)'$/);
  if (required) return `${fieldName(`${path}/${required[1]}`)}: is required`;
  if (reason !== 'must NOT have additional properties') {
    return `${fieldName(path) || 'body'}: ${reason}`;
  }
  // The validator names the object, not the field it has too many of: find them.
  let schema = resolve(spec, { $ref: bodySchema });
  let value: unknown = body;
  for (const segment of path.split('/').filter(Boolean)) {
    schema = resolve(
      spec,
      /^\d+$/.test(segment) ? schema?.items : schema?.properties?.[segment],
    );
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  const known = Object.keys(schema?.properties ?? {});
  const unknown =
    typeof value === 'object' && value !== null
      ? Object.keys(value).filter(key => !known.includes(key))
      : [];
  if (unknown.length === 0) {
    return `${fieldName(path) || 'body'}: ${reason}`;
  }
  return unknown
    .map(
      key =>
        `${fieldName(`${path}/${key}`)}: is not a field here${
          known.length ? ` (the fields are ${known.join(', ')})` : ''
        }`,
    )
    .join('; ');
}

/**
 * Words the OpenAPI validation's refusal of a request body the way the
 * planner words its own: `<field>: <reason>`, with the field named as the
 * caller wrote it (`weights.v1: must be integer`, `force: is not a field
 * here (…)`), so a client can show every message next to its field. The
 * validator's own text is `request/body/weights/v1 must be integer`, and for
 * an unknown field names only the object that has it. Any other error is
 * returned as it is.
 */
export function describeBodyErrors(
  error: unknown,
  body: unknown,
  spec: Spec,
  bodySchema: string,
): unknown {
  const message = (error as { message?: unknown } | undefined)?.message;
  if (
    (error as { name?: unknown } | undefined)?.name !== 'InputError' ||
    typeof message !== 'string' ||
    !message.startsWith('request/body')
  ) {
    return error;
  }
  const worded = message
    .split(/, (?=request\/)/)
    .map(part => {
      const m = part.match(BODY_MESSAGE);
      return m ? reword(m[1], m[2], body, spec, bodySchema) : part;
    })
    .join('; ');
  return new InputError(worded);
}
