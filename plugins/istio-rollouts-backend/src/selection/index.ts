export {
  selectEntityObjects,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './entitySelection';
export type {
  EntitySelection,
  ParsedEntitySelection,
  NotConfigured,
} from './entitySelection';
// Kubernetes label selectors, as the API server parses and matches them.
export * from '@internal/kube-label-selector';
