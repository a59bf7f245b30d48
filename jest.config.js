/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault tests take minutes (kill -9 waits out activity timeouts): `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.ROE_FAULTS === '1' ? [] : ['<rootDir>/test/faults/'])],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // Three files at a time on two cores: much of a file's time is spent waiting on its Temporal
  // server, its browser or a timer, so a third worker fills the gaps (6.8 min against 10.5 with two
  // and ~20 serial on the CI machine). Each file has its own server, database and task queue.
  maxWorkers: 3,
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/globalSetup.js',
  verbose: true,
  reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
