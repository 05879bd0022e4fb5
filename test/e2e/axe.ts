import { expect, Page } from '@playwright/test';

/** One axe-core violation, as much of it as a failure message needs. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and asserts that nothing serious or critical
 * is found; the failure lists each violation with the elements it found it on.
 */
export async function expectNoSeriousAxeViolations(page: Page, state: string) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    });
    return result.violations;
  });
  const serious = violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map(n => JSON.stringify(n.target))
          .join(', ')}`,
    );
  expect(serious, `axe in ${state}`).toEqual([]);
}
