export {
  parseLabelSelector,
  formatLabelSelector,
  matchesLabels,
  equalityRequirements,
  hasEqualityRequirement,
  validateLabelKey,
  validateLabelValue,
  LabelSelectorSyntaxError,
} from './labelSelector';
export type {
  LabelOperator,
  LabelRequirement,
  LabelPair,
} from './labelSelector';
