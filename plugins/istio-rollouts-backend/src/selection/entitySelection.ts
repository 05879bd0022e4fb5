import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** The Kubernetes plugin's annotations, which this plugin reuses as they are. */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** Which Kubernetes objects belong to an entity. */
export interface EntitySelection {
  /** Sent as `labelSelector` on every list call; never empty. */
  labelSelector: string;
  /** Lists only in this namespace; every namespace when absent. */
  namespace?: string;
}

/** Why an entity selects nothing, for the UI to explain. */
export interface NotConfigured {
  reason: 'MissingAnnotation' | 'InvalidAnnotation';
  message: string;
}

// A Kubernetes label value and a DNS-1123 label (namespace name).
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The label selector (and namespace) of an entity's objects, from the
 * Kubernetes plugin's annotations: `kubernetes-label-selector`, else
 * `kubernetes-id` as `backstage.io/kubernetes-id=<id>`. Values that would
 * widen or garble the selector are refused, because an empty or malformed
 * selector must never turn into a list of a whole cluster.
 */
export function selectEntityObjects(
  entity: Entity,
): { selection: EntitySelection } | { notConfigured: NotConfigured } {
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
    if (!selector) {
      return invalid(
        `${ref} has an empty ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}; it would select every object`,
      );
    }
    return {
      selection: { labelSelector: selector, ...(namespace && { namespace }) },
    };
  }

  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  if (id !== undefined) {
    if (!LABEL_VALUE.test(id)) {
      return invalid(
        `${ref} has ${ANNOTATION_KUBERNETES_ID}: "${id}", which is not a valid Kubernetes label value`,
      );
    }
    return {
      selection: {
        labelSelector: `${ANNOTATION_KUBERNETES_ID}=${id}`,
        ...(namespace && { namespace }),
      },
    };
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

function invalid(message: string): { notConfigured: NotConfigured } {
  return { notConfigured: { reason: 'InvalidAnnotation', message } };
}
