/* eslint-disable no-console -- filters known noise out of the test output */
import '@testing-library/jest-dom';

// Two warnings every render in the test app prints, neither about this plugin:
// Material UI v4's Tooltip/Popper still use findDOMNode under React 18, and
// React Router announces its v7 flags. Everything else still shows.
const KNOWN_NOISE = [
  'findDOMNode is deprecated',
  'React Router Future Flag Warning',
];
for (const level of ['error', 'warn'] as const) {
  const original = console[level];
  jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    const text = String(args[0] ?? '');
    if (KNOWN_NOISE.some(noise => text.includes(noise))) return;
    original(...args);
  });
}
