import {
  FieldSelectorParseError,
  fieldValue,
  matchesFields,
  parseFieldSelector,
} from './fieldSelector';

describe('parseFieldSelector', () => {
  it.each([
    ['', []],
    [
      'metadata.name=reviews',
      [{ field: 'metadata.name', operator: 'Equals', value: 'reviews' }],
    ],
    [
      'metadata.name==reviews',
      [{ field: 'metadata.name', operator: 'Equals', value: 'reviews' }],
    ],
    [
      'metadata.namespace!=kube-system',
      [
        {
          field: 'metadata.namespace',
          operator: 'NotEquals',
          value: 'kube-system',
        },
      ],
    ],
    [
      'metadata.name=a\\,b,status.phase=Running',
      [
        { field: 'metadata.name', operator: 'Equals', value: 'a,b' },
        { field: 'status.phase', operator: 'Equals', value: 'Running' },
      ],
    ],
    [
      'metadata.name=',
      [{ field: 'metadata.name', operator: 'Equals', value: '' }],
    ],
  ])('parses %j', (input, expected) => {
    expect(parseFieldSelector(input)).toEqual(expected);
  });

  it.each(['metadata.name', 'a=b\\x'])('rejects %j', input => {
    expect(() => parseFieldSelector(input)).toThrow(FieldSelectorParseError);
  });
});

describe('matchesFields', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { hostNetwork: false },
    status: { phase: 'Running' },
  };

  it.each([
    ['metadata.name=p', true],
    ['metadata.name=q', false],
    ['metadata.name!=q', true],
    ['metadata.namespace=ns,status.phase=Running', true],
    ['status.phase!=Running', false],
    ['spec.hostNetwork=false', true],
    ['spec.nodeName=', true],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), pod)).toBe(expected);
  });

  it('reads missing paths as the empty string', () => {
    expect(fieldValue(pod, 'spec.nodeName')).toBe('');
    expect(fieldValue(pod, 'metadata.name.deeper')).toBe('');
  });
});
