export { ConfirmActionDialog, actionTitle } from './ConfirmActionDialog';
export type { ConfirmActionDialogProps } from './ConfirmActionDialog';
export { ActionPreview } from './ActionPreview';
export type { ActionPreviewProps } from './ActionPreview';
export { ExactPatch, formatPatch, isGuard } from './ExactPatch';
