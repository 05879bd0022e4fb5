import { parseDocument, Scalar } from 'yaml';
import { newScalarText, replacementText } from './scalarText';

/** The scalar `value` of a one-key document. */
function scalar(text: string): Scalar {
  return parseDocument(text).get('value', true) as Scalar;
}

describe('replacementText', () => {
  it('keeps the quoting style of a string', () => {
    expect(replacementText('blue', scalar('value: "green"'), false)).toBe(
      '"blue"',
    );
    expect(replacementText("it's", scalar("value: 'green'"), false)).toBe(
      "'it''s'",
    );
    expect(replacementText('blue', scalar('value: green'), false)).toBe('blue');
  });

  it('quotes a plain string that would read back as something else', () => {
    const plain = scalar('value: green');
    expect(replacementText('true', plain, false)).toBe('"true"');
    expect(replacementText('50', plain, false)).toBe('"50"');
    expect(replacementText('a: b', plain, false)).toBe('"a: b"');
    expect(replacementText('a,b', plain, true)).toBe('"a,b"');
    expect(replacementText('v1.2_rc', plain, true)).toBe('v1.2_rc');
  });

  it('writes numbers, booleans and null plain', () => {
    expect(replacementText(90, scalar('value: 10'), false)).toBe('90');
    expect(replacementText(false, scalar('value: true'), false)).toBe('false');
    expect(replacementText(null, scalar('value: x'), false)).toBe('null');
  });

  it('does not splice into block scalars or write multi-line strings', () => {
    expect(replacementText('x', scalar('value: |\n  y\n'), false)).toBe(
      undefined,
    );
    expect(replacementText('a\nb', scalar('value: "y"'), false)).toBe(
      undefined,
    );
  });
});

describe('newScalarText', () => {
  it('writes plain what reads back as itself, else JSON', () => {
    expect(newScalarText('reviews.bookinfo.svc.cluster.local')).toBe(
      'reviews.bookinfo.svc.cluster.local',
    );
    expect(newScalarText('null')).toBe('"null"');
    expect(newScalarText(0)).toBe('0');
    expect(newScalarText({ a: 1 })).toBe(undefined);
  });
});
