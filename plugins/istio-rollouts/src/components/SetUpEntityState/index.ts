export { SetUpEntityState } from './SetUpEntityState';
export type { SetUpEntityStateProps } from './SetUpEntityState';
export { CopyableSnippet, LabelObjects } from './LabelObjects';
