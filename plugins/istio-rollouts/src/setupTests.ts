/* eslint-disable no-console -- filters known noise out of the test output */
import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Warnings the test apps print, none about this plugin: Material UI v4's
// Tooltip/Popper still use findDOMNode under React 18 and React Router
// announces its v7 flags; the new frontend system's renderTestApp draws the
// whole app, whose sidebar meets a bug of jsdom's CSS parser in @media blocks
// (JSS warns "processedRuleToParse is not defined") and whose app plugin still
// registers its own icons the deprecated way. Everything else still shows.
const KNOWN_NOISE = [
  'findDOMNode is deprecated',
  'React Router Future Flag Warning',
  'processedRuleToParse is not defined',
  'were registered as IconComponent, which is deprecated',
];
for (const level of ['error', 'warn'] as const) {
  const original = console[level];
  jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    const text = String(args[0] ?? '');
    if (KNOWN_NOISE.some(noise => text.includes(noise))) return;
    original(...args);
  });
}

// Rendering whole test apps takes seconds on a busy 2-core CI machine, and
// tests wait up to 10 s for what they render: Jest's 5 s default per test
// must cover those waits. (A package.json `testTimeout` is ignored when Jest
// runs several projects.)
jest.setTimeout(30_000);

// `findBy…` and `waitFor` wait 1 s by default, less than a whole test app
// takes to render on a busy machine: wait as long as the tests say they may.
configure({ asyncUtilTimeout: 10_000 });
