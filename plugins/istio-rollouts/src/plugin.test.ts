import * as legacy from './index';

describe('the legacy frontend system plugin', () => {
  it('exports the plugin, its tab, card, page, availability check and API', () => {
    expect(legacy.istioRolloutsPlugin.getId()).toBe('istio-rollouts');
    expect(legacy.EntityIstioRolloutsContent).toBeDefined();
    expect(legacy.EntityIstioRolloutsCard).toBeDefined();
    expect(legacy.IstioRolloutsPage).toBeDefined();
    expect(legacy.isIstioRolloutsAvailable).toBeInstanceOf(Function);
    expect(legacy.istioRolloutsApiRef.id).toBe('plugin.istio-rollouts.service');
    expect(legacy.IstioRolloutsClient).toBeInstanceOf(Function);
    expect(
      [...legacy.istioRolloutsPlugin.getApis()].map(f => f.api.id),
    ).toEqual(['plugin.istio-rollouts.service']);
  });

  it('mounts the tab and the page on routes of their own', () => {
    const { entityContent, root } = legacy.istioRolloutsPlugin.routes;
    expect(root).toBeDefined();
    expect(root).not.toBe(entityContent);
  });
});
