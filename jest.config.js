/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault tests take minutes (kill -9 waits out activity timeouts): `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.ROE_FAULTS === '1' ? [] : ['<rootDir>/test/faults/'])],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // Temporal servers and workers are shared per file; keep files serial on two cores.
  maxWorkers: 1,
  testTimeout: 60_000,
  verbose: true,
  reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
