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
export {
  parseLabelSelector,
  formatLabelSelector,
  matchesLabels,
  equalityRequirements,
  hasEqualityRequirement,
  validateLabelKey,
  validateLabelValue,
  LabelSelectorSyntaxError,
} from '@internal/kube-label-selector';
export type {
  LabelOperator,
  LabelRequirement,
  LabelPair,
} from '@internal/kube-label-selector';
