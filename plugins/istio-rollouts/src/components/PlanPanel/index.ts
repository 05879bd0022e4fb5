export { PlanPanel } from './PlanPanel';
export type { PlanPanelProps } from './PlanPanel';
export { RoutePlan, routeName } from './RoutePlan';
export { PlansProvider, usePlansContext, useTabPlans } from './PlansContext';
export type { PlansContextValue } from './PlansContext';
