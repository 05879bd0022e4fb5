import * as legacy from './index';

describe('the legacy frontend system plugin', () => {
  it('exports the plugin, its tab, card, availability check and API', () => {
    expect(legacy.istioRolloutsPlugin.getId()).toBe('istio-rollouts');
    expect(legacy.EntityIstioRolloutsContent).toBeDefined();
    expect(legacy.EntityIstioRolloutsCard).toBeDefined();
    expect(legacy.isIstioRolloutsAvailable).toBeInstanceOf(Function);
    expect(legacy.istioRolloutsApiRef.id).toBe('plugin.istio-rollouts.service');
    expect(legacy.IstioRolloutsClient).toBeInstanceOf(Function);
    expect(
      [...legacy.istioRolloutsPlugin.getApis()].map(f => f.api.id),
    ).toEqual(['plugin.istio-rollouts.service']);
  });
});
