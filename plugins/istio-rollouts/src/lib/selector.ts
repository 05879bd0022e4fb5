import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../annotations';

/** How the backend finds an entity's objects, in words for the page. */
export interface EntitySelector {
  /** `backstage.io/kubernetes-id=reviews`, or the label selector annotation's value. */
  selector: string;
  /** The label to put on objects, when the entity uses `kubernetes-id`. */
  label?: { key: string; value: string };
  /** The only namespace searched, when the entity says so. */
  namespace?: string;
}

/** The label selector the backend lists an entity's objects with (the label selector annotation wins). */
export function entitySelector(entity: Entity): EntitySelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION] || undefined;
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  if (selector) return { selector, namespace };
  const id = annotations[KUBERNETES_ID_ANNOTATION];
  if (id) {
    return {
      selector: `${KUBERNETES_ID_ANNOTATION}=${id}`,
      label: { key: KUBERNETES_ID_ANNOTATION, value: id },
      namespace,
    };
  }
  return undefined;
}
