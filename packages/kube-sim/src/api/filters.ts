/*
 * The label and field selectors of list, watch and deletecollection: parsed
 * once per request, with the API server's errors for bad or unsupported ones.
 */
import {
  FieldRequirement,
  FieldSelectorParseError,
  matchesFields,
  parseFieldSelector,
} from '../fieldSelector';
import {
  LabelRequirement,
  LabelSelectorSyntaxError,
  matchesLabels,
  parseLabelSelector,
} from '@internal/kube-label-selector';
import { KubeObject } from '../objects';
import { badRequest } from '../status';
import { ApiRequest } from './types';

export interface Filters {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export function filtersOf(req: ApiRequest): Filters {
  let labels: LabelRequirement[];
  let fields: FieldRequirement[];
  try {
    labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
  } catch (e) {
    if (e instanceof LabelSelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
  try {
    fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
  } catch (e) {
    if (e instanceof FieldSelectorParseError) throw badRequest(e.message);
    throw e;
  }
  const supported = [
    'metadata.name',
    'metadata.namespace',
    ...req.type.extraFieldSelectors,
  ];
  for (const f of fields) {
    if (!supported.includes(f.field)) {
      throw badRequest(
        req.type.custom
          ? `"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${f.field}`,
      );
    }
  }
  return { labels, fields };
}

export function matches(f: Filters, o: KubeObject): boolean {
  return (
    matchesLabels(f.labels, o.metadata.labels) && matchesFields(f.fields, o)
  );
}
