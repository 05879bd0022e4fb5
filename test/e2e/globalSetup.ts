/*
 * `npm start` brings up the app beside the backend; Playwright's webServer
 * waits for the backend, and this waits for the app's dev server.
 */
export default async function waitForApp() {
  const url = 'http://localhost:3000';
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`The demo app did not answer at ${url} within 240 s`);
}
