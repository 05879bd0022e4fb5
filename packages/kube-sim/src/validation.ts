/*
 * Object validation, in the order the API server applies it:
 * 1. object metadata (name present and well-formed, label syntax);
 * 2. for Istio kinds, the CRD's OpenAPI schema, checked with
 *    @kubernetes-models/istio (types, required fields, enums);
 * 3. for Istio kinds, the rules of Istio's validating webhook that matter for
 *    traffic shifting (istio/pkg/config/validation): no negative weight, and
 *    several destinations may not all weigh 0. Since istio/istio#39544 other
 *    totals are accepted and read as relative weights, so neither > 100 nor a
 *    total other than 100 is rejected.
 */
import { importEsm } from './esm';
import {
  validateLabelKey,
  validateLabelValue,
} from '@internal/kube-label-selector';
import { isPlainObject, KubeObject } from './objects';
import { ResourceType } from './resources';
import { failure, FieldError, invalid, KubeApiError } from './status';

interface AjvError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** Model classes by `<version>/<Kind>`. */
export type IstioModels = Map<string, ModelClass>;

const ISTIO_KINDS = ['VirtualService', 'DestinationRule', 'Gateway'];
const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

let modelsPromise: Promise<IstioModels> | undefined;

/** Loads (once per process) the Istio model classes used for schema validation. */
export function loadIstioModels(): Promise<IstioModels> {
  if (!modelsPromise) {
    modelsPromise = (async () => {
      const models: IstioModels = new Map();
      for (const version of ISTIO_VERSIONS) {
        for (const kind of ISTIO_KINDS) {
          const mod = await importEsm<Record<string, ModelClass>>(
            `@kubernetes-models/istio/networking.istio.io/${version}/${kind}`,
          );
          models.set(`${version}/${kind}`, mod[kind]);
        }
      }
      return models;
    })();
    modelsPromise.catch(() => {
      modelsPromise = undefined;
    });
  }
  return modelsPromise;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

function quote(v: unknown): string {
  return JSON.stringify(v);
}

/** Metadata checks every kind gets (ValidateObjectMeta). */
export function metadataErrors(
  type: ResourceType,
  obj: KubeObject,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name;
  if (!name) {
    errs.push({
      field: 'metadata.name',
      reason: 'FieldValueRequired',
      detail: 'Required value: name or generateName is required',
    });
  } else if (type.nameIsLabel && !isDns1123Label(name)) {
    errs.push({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
      detail: `Invalid value: ${quote(
        name,
      )}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    });
  } else if (!type.nameIsLabel && !isDns1123Subdomain(name)) {
    errs.push({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
      detail: `Invalid value: ${quote(
        name,
      )}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
  const labels = obj.metadata?.labels;
  if (labels !== undefined) {
    if (!isPlainObject(labels)) {
      errs.push({
        field: 'metadata.labels',
        reason: 'FieldValueTypeInvalid',
        detail: `Invalid value: ${quote(labels)}: must be a map of strings`,
      });
    } else {
      for (const [k, v] of Object.entries(labels)) {
        const keyErr = validateLabelKey(k);
        if (keyErr) {
          errs.push({
            field: 'metadata.labels',
            reason: 'FieldValueInvalid',
            detail: `Invalid value: ${quote(k)}: ${keyErr}`,
          });
        }
        const valueErr =
          typeof v === 'string' ? validateLabelValue(v) : 'must be a string';
        if (valueErr) {
          errs.push({
            field: `metadata.labels`,
            reason: 'FieldValueInvalid',
            detail: `Invalid value: ${quote(v)}: ${valueErr}`,
          });
        }
      }
    }
  }
  return errs;
}

/** JSON pointer (`/spec/http/0/weight`) to a Kubernetes field path (`spec.http[0].weight`). */
export function pointerToField(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function valueAt(obj: unknown, pointer: string): unknown {
  let cur: unknown = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The type names the API server's OpenAPI validator prints. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Maps ajv errors to the field errors a CRD's structural schema produces. */
export function schemaErrors(obj: unknown, errors: AjvError[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const pointer = e.instancePath ?? '';
    const base = pointerToField(pointer);
    let fe: FieldError;
    if (e.keyword === 'required') {
      const prop = String(e.params?.missingProperty ?? '');
      fe = {
        field: base ? `${base}.${prop}` : prop,
        reason: 'FieldValueRequired',
        detail: 'Required value',
      };
    } else if (e.keyword === 'type') {
      const t = jsonType(valueAt(obj, pointer));
      fe = {
        field: base,
        reason: 'FieldValueTypeInvalid',
        detail: `Invalid value: "${t}": ${base} in body must be of type ${String(
          e.params?.type,
        )}: "${t}"`,
      };
    } else if (e.keyword === 'enum') {
      const allowed = (e.params?.allowedValues as unknown[] | undefined) ?? [];
      fe = {
        field: base,
        reason: 'FieldValueNotSupported',
        detail: `Unsupported value: ${quote(
          valueAt(obj, pointer),
        )}: supported values: ${allowed.map(a => quote(a)).join(', ')}`,
      };
    } else {
      fe = {
        field: base,
        reason: 'FieldValueInvalid',
        detail: `Invalid value: ${quote(
          valueAt(obj, pointer),
        )}: ${base} in body ${e.message ?? 'is invalid'}`,
      };
    }
    const k = `${fe.field}\u0000${fe.detail}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(fe);
    }
  }
  return out;
}

export interface WebhookError {
  field: string;
  message: string;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function routeDestinationErrors(route: unknown, field: string): WebhookError[] {
  const errs: WebhookError[] = [];
  const dests = asArray(route);
  let total = 0;
  dests.forEach((d, i) => {
    if (!isPlainObject(d)) return;
    const destination = d.destination;
    if (isPlainObject(destination) && typeof destination.subset === 'string') {
      const subset = destination.subset;
      if (subset !== '' && !isDns1123Label(subset)) {
        errs.push({
          field: `${field}[${i}].destination.subset`,
          message: `subset name is invalid: ${subset}`,
        });
      }
    }
    const weight = typeof d.weight === 'number' ? d.weight : 0;
    if (weight < 0) {
      errs.push({
        field: `${field}[${i}].weight`,
        message: `weight ${weight} < 0`,
      });
    }
    total += weight;
  });
  if (dests.length > 1 && total === 0) {
    errs.push({ field, message: 'total destination weight = 0' });
  }
  return errs;
}

/** The Istio validating webhook's rules this simulator enforces. */
export function istioWebhookErrors(
  kind: string,
  obj: KubeObject,
): WebhookError[] {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const errs: WebhookError[] = [];
  if (kind === 'VirtualService') {
    const http = asArray(spec.http);
    const tcp = asArray(spec.tcp);
    const tls = asArray(spec.tls);
    if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
      errs.push({
        field: 'spec',
        message: 'http, tcp or tls must be provided in virtual service',
      });
    }
    const gateways = asArray(spec.gateways);
    const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
    asArray(spec.hosts).forEach((h, i) => {
      if (h === '*' && appliesToMesh) {
        errs.push({
          field: `spec.hosts[${i}]`,
          message:
            'wildcard host * is not allowed for virtual services bound to the mesh gateway',
        });
      }
    });
    const routes: [string, unknown[]][] = [
      ['http', http],
      ['tcp', tcp],
      ['tls', tls],
    ];
    for (const [section, rules] of routes) {
      rules.forEach((rule, i) => {
        if (isPlainObject(rule) && rule.route !== undefined) {
          errs.push(
            ...routeDestinationErrors(
              rule.route,
              `spec.${section}[${i}].route`,
            ),
          );
        }
      });
    }
  } else if (kind === 'DestinationRule') {
    asArray(spec.subsets).forEach((s, i) => {
      if (!isPlainObject(s)) return;
      const name = typeof s.name === 'string' ? s.name : '';
      if (name === '') {
        errs.push({
          field: `spec.subsets[${i}].name`,
          message: 'subset name cannot be empty',
        });
      } else if (!isDns1123Label(name)) {
        errs.push({
          field: `spec.subsets[${i}].name`,
          message: `subset name is invalid: ${name}`,
        });
      }
    });
  } else if (kind === 'Gateway') {
    if (asArray(spec.servers).length === 0) {
      errs.push({
        field: 'spec.servers',
        message: 'gateway must have at least one server',
      });
    }
  }
  return errs;
}

/** Formats errors as hashicorp/go-multierror does, which Istio uses. */
export function formatMultiError(messages: string[]): string {
  if (messages.length === 1) return messages[0];
  return `${messages.length} errors occurred:\n${messages
    .map(m => `\t* ${m}`)
    .join('\n')}\n\n`;
}

export function webhookDenied(
  type: ResourceType,
  name: string,
  errs: WebhookError[],
): KubeApiError {
  const message = `admission webhook "validation.istio.io" denied the request: configuration is invalid: ${formatMultiError(
    errs.map(e => e.message),
  )}`;
  // Admission webhook denials reach clients as 400 (the API server raises any
  // lower code a webhook sets to 400), not as 422 schema errors.
  return failure(400, 'BadRequest', message, {
    name,
    group: type.group,
    kind: type.kind,
    causes: errs.map(e => ({
      reason: 'FieldValueInvalid',
      message: e.message,
      field: e.field,
    })),
  });
}

export type Validator = (
  type: ResourceType,
  version: string,
  obj: KubeObject,
) => void;

/** Builds the synchronous validator once the Istio models have been loaded. */
export function createValidator(models: IstioModels): Validator {
  return (type, version, obj) => {
    const name = obj.metadata?.name ?? '';
    const gk = { group: type.group, kind: type.kind };
    const metaErrs = metadataErrors(type, obj);
    if (metaErrs.length) throw invalid(gk, name, metaErrs);
    if (!type.custom) return;
    const Model = models.get(`${version}/${type.kind}`);
    if (Model) {
      try {
        new Model({
          ...obj,
          apiVersion: `${type.group}/${version}`,
          kind: type.kind,
        }).validate();
      } catch (e) {
        const errors = (e as { errors?: AjvError[] }).errors;
        if (!Array.isArray(errors)) throw e;
        const fieldErrs = schemaErrors(obj, errors);
        if (fieldErrs.length) throw invalid(gk, name, fieldErrs);
      }
    }
    const hookErrs = istioWebhookErrors(type.kind, obj);
    if (hookErrs.length) throw webhookDenied(type, name, hookErrs);
  };
}

/** Loads the models and returns the validator. */
export async function loadValidator(): Promise<Validator> {
  return createValidator(await loadIstioModels());
}
