import {
  annotationSnippet,
  kubectlLabelCommand,
  labelSnippet,
  namespaceAnnotationLine,
  selectorAnnotationLine,
} from './setup';

const label = { key: 'backstage.io/kubernetes-id', value: 'details' };

describe('the set-up snippets', () => {
  it('annotate the entity with its own name as the kubernetes-id', () => {
    expect(annotationSnippet('details')).toBe(
      [
        'metadata:',
        '  name: details',
        '  annotations:',
        '    backstage.io/kubernetes-id: details',
      ].join('\n'),
    );
  });

  it('label an object’s manifest with the same id', () => {
    expect(labelSnippet(label)).toBe(
      'metadata:\n  labels:\n    backstage.io/kubernetes-id: details',
    );
  });

  it('label objects already in a cluster with kubectl, every kind the tab reads', () => {
    const command = kubectlLabelCommand(label, 'bookinfo');
    expect(command).toMatch(/^kubectl label -n bookinfo /);
    for (const kind of [
      'virtualservice',
      'destinationrule',
      'deployment',
      'service',
    ]) {
      expect(command).toContain(`${kind}/<name>`);
    }
    expect(command).toMatch(/ backstage\.io\/kubernetes-id=details$/);
    expect(kubectlLabelCommand(label)).toContain('-n <namespace>');
  });

  it('offer the namespace and label selector annotations as alternatives', () => {
    expect(namespaceAnnotationLine()).toBe(
      'backstage.io/kubernetes-namespace: <namespace>',
    );
    expect(selectorAnnotationLine('details')).toBe(
      'backstage.io/kubernetes-label-selector: app=details',
    );
  });
});
