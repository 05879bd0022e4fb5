import '@testing-library/jest-dom';

// Rendering the whole app takes seconds on a busy 2-core CI machine: Jest's
// 5 s default per test must cover what its tests wait for.
jest.setTimeout(30_000);
