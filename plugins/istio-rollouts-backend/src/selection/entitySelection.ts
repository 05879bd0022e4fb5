import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  formatLabelSelector,
  hasEqualityRequirement,
  LabelRequirement,
  LabelSelectorSyntaxError,
  parseLabelSelector,
  validateLabelValue,
} from '@internal/kube-label-selector';

/** The Kubernetes plugin's annotations, which this plugin reuses as they are. */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** Which Kubernetes objects belong to an entity. */
export interface EntitySelection {
  /**
   * Sent as `labelSelector` on every list call: the canonical form of
   * `requirements`, so the API server selects exactly what was checked here.
   * Never empty; always pins at least one label to one value.
   */
  labelSelector: string;
  /** Lists only in this namespace; every namespace when absent. */
  namespace?: string;
  /**
   * The parsed selector, to match objects in memory (`matchesLabels`).
   * `selectEntityObjects` always sets it; optional only so that selections
   * written by hand (test fixtures) still type-check.
   */
  requirements?: readonly LabelRequirement[];
}

/** A selection from `selectEntityObjects`, whose requirements are known. */
export type ParsedEntitySelection = EntitySelection & {
  requirements: readonly LabelRequirement[];
};

/** Why an entity selects nothing, for the UI to explain. */
export interface NotConfigured {
  /**
   * `UnsafeSelector`: a valid selector that pins no label to one value, so
   * it could match any team's objects; `InvalidAnnotation`: a malformed one.
   */
  reason: 'MissingAnnotation' | 'InvalidAnnotation' | 'UnsafeSelector';
  message: string;
}

// A DNS-1123 label (namespace name).
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The label selector (and namespace) of an entity's objects, from the
 * Kubernetes plugin's annotations: `kubernetes-label-selector`, else
 * `kubernetes-id` as `backstage.io/kubernetes-id=<id>`. Anyone who can write
 * a catalog-info.yaml controls these, and the plugin reads and writes with a
 * powerful service account, so a selector that is empty, malformed, or pins
 * no label to one value is refused rather than allowed to reach a cluster.
 */
export function selectEntityObjects(
  entity: Entity,
): { selection: ParsedEntitySelection } | { notConfigured: NotConfigured } {
  const annotations = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);

  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim();
  if (namespace !== undefined && !NAMESPACE.test(namespace)) {
    return invalid(
      `${ref} has ${ANNOTATION_KUBERNETES_NAMESPACE}: "${namespace}", which is not a Kubernetes namespace name`,
    );
  }

  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  if (selector !== undefined) {
    return fromLabelSelector(ref, selector, namespace);
  }

  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  if (id !== undefined) {
    // Empty is a valid label value but would select `kubernetes-id=` objects.
    if (!id || validateLabelValue(id)) {
      return invalid(
        `${ref} has ${ANNOTATION_KUBERNETES_ID}: "${id}", which is not a valid Kubernetes label value`,
      );
    }
    const requirements = [
      {
        key: ANNOTATION_KUBERNETES_ID,
        operator: 'Equals' as const,
        values: [id],
      },
    ];
    return selected(requirements, namespace);
  }

  return {
    notConfigured: {
      reason: 'MissingAnnotation',
      message:
        `${ref} has neither the ${ANNOTATION_KUBERNETES_ID} nor the ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation. ` +
        `Annotate it (for example ${ANNOTATION_KUBERNETES_ID}: ${entity.metadata.name}) and give its VirtualServices, ` +
        `DestinationRules, Deployments and Services the matching label.`,
    },
  };
}

function fromLabelSelector(
  ref: string,
  selector: string,
  namespace: string | undefined,
): { selection: ParsedEntitySelection } | { notConfigured: NotConfigured } {
  const stated = `${ref} has ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}: "${selector}"`;
  if (!selector) {
    return invalid(
      `${ref} has an empty ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}; it would select every object`,
    );
  }
  let requirements: LabelRequirement[];
  try {
    requirements = parseLabelSelector(selector);
  } catch (error) {
    if (!(error instanceof LabelSelectorSyntaxError)) throw error;
    return invalid(
      `${stated}, which is not a valid Kubernetes label selector: ${error.message}`,
    );
  }
  if (!hasEqualityRequirement(requirements)) {
    return {
      notConfigured: {
        reason: 'UnsafeSelector',
        message:
          `${stated}, which is refused because it pins no label to one value: it selects only by ` +
          `!=, notin, a key's presence or absence, several values or >/<, so it would also match objects ` +
          `of other teams. Add at least one key=value (or key in (value)) requirement, ` +
          `for example ${ANNOTATION_KUBERNETES_ID}=<id>.`,
      },
    };
  }
  return selected(requirements, namespace);
}

function selected(
  requirements: LabelRequirement[],
  namespace: string | undefined,
): { selection: ParsedEntitySelection } {
  return {
    selection: {
      labelSelector: formatLabelSelector(requirements),
      ...(namespace && { namespace }),
      requirements,
    },
  };
}

function invalid(message: string): { notConfigured: NotConfigured } {
  return { notConfigured: { reason: 'InvalidAnnotation', message } };
}
