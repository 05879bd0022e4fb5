export {
  selectEntityObjects,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './entitySelection';
export type { EntitySelection, NotConfigured } from './entitySelection';
