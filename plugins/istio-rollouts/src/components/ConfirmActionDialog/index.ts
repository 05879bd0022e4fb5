export { ConfirmActionDialog, actionTitle } from './ConfirmActionDialog';
export type { ConfirmActionDialogProps } from './ConfirmActionDialog';
