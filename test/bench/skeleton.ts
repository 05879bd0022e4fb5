/** docs/benchmarks.md as the bench creates it when it is missing; the results go between the markers. */
export const SKELETON = `# Benchmarks

\`npm run bench\` measures Istio Rollouts side by side with the least any tool can do (the read floor) and with
Backstage's Kubernetes backend. See test/bench/ for how.

<!-- bench:results:begin -->
<!-- bench:results:end -->
`;
