// Integration suites start backends and simulators; on a busy 2-core CI
// machine Jest's 5 s default per test is too tight. (A package.json
// `testTimeout` is ignored when Jest runs several projects.)
jest.setTimeout(30_000);
