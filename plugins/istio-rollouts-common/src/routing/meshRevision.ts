/**
 * The Istio control-plane revision a namespace is injected by — an Istio upgrade concern (e.g. `canary`,
 * `1-24`), never an application canary.
 *
 * Istio's injector lets `istio-injection` win over `istio.io/rev` when a namespace carries both:
 * `istio-injection=enabled` means the default revision and `istio-injection=disabled` means no injection.
 */
import { KubeObject, labelsOf } from './kube';

/** The namespace label that selects a control-plane revision. @public */
export const ISTIO_REV_LABEL = 'istio.io/rev';
/** The namespace label that turns injection by the default revision on or off. @public */
export const ISTIO_INJECTION_LABEL = 'istio-injection';

/**
 * `default` for `istio-injection=enabled`, the `istio.io/rev` value otherwise, undefined when the namespace is
 * not injected (or unknown).
 * @public
 */
export function meshRevisionOf(
  namespace: KubeObject | undefined,
): string | undefined {
  if (!namespace) return undefined;
  const labels = labelsOf(namespace);
  const injection = labels[ISTIO_INJECTION_LABEL];
  if (injection === 'enabled') return 'default';
  if (injection === 'disabled') return undefined;
  return labels[ISTIO_REV_LABEL] || undefined;
}
