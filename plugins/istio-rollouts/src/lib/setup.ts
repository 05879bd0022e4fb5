/**
 * The snippets of the tab's set-up help, prefilled for one entity: what to
 * add to its catalog-info.yaml and what label to put on its Istio objects.
 */
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../annotations';

/** The objects that carry the entity's label, in the order the help lists them. */
export const LABELLED_KINDS = [
  'virtualservice',
  'destinationrule',
  'deployment',
  'service',
] as const;

/** The annotation block of a catalog-info.yaml that points the tab at the entity's objects. */
export function annotationSnippet(entityName: string): string {
  return [
    'metadata:',
    `  name: ${entityName}`,
    '  annotations:',
    `    ${KUBERNETES_ID_ANNOTATION}: ${entityName}`,
  ].join('\n');
}

/** The optional annotation that keeps the search to one namespace, as a line to add. */
export function namespaceAnnotationLine(namespace = '<namespace>'): string {
  return `${KUBERNETES_NAMESPACE_ANNOTATION}: ${namespace}`;
}

/** The selector annotation for objects that already share labels, e.g. `app=details`. */
export function selectorAnnotationLine(entityName: string): string {
  return `${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: app=${entityName}`;
}

/** The label as it goes in each object's manifest. */
export function labelSnippet(label: { key: string; value: string }): string {
  return ['metadata:', '  labels:', `    ${label.key}: ${label.value}`].join(
    '\n',
  );
}

/**
 * The same label put on objects that are already in the cluster. Object names
 * are placeholders: the tab can't know them before they are labelled.
 */
export function kubectlLabelCommand(
  label: { key: string; value: string },
  namespace = '<namespace>',
): string {
  const objects = LABELLED_KINDS.map(kind => `${kind}/<name>`).join(' ');
  return `kubectl label -n ${namespace} ${objects} ${label.key}=${label.value}`;
}
