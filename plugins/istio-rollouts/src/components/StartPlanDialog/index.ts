export { StartPlanButton } from './StartPlanButton';
export { StartPlanDialog } from './StartPlanDialog';
export type { StartPlanDialogProps } from './StartPlanDialog';
