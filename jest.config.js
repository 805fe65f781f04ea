/** Jest runs the TypeScript sources directly through swc; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // @swc/jest, with module-local bindings of the built-ins (Math, typed arrays…): a global looked up
  // inside Jest's sandbox is slow, 100× for Math in a loop (test/setup/swc-local-globals.js).
  transform: {
    '^.+\\.(t|j)sx?$': ['<rootDir>/test/setup/swc-local-globals.js', { jsc: { target: 'es2022' } }],
    '^.+\\.mjs$': ['<rootDir>/test/setup/swc-local-globals.js', { jsc: { target: 'es2022' } }],
  },
  // pdf-parse's worker is an .mjs file: transform it instead of importing it dynamically.
  transformIgnorePatterns: ['/node_modules/(?!(pdfjs-dist|pdf-parse)/)'],
  setupFiles: ['<rootDir>/test/setup/pdfjs-worker.js'],
  testTimeout: 60000,
  // One worker per core, not Jest's default of one fewer: the end-to-end files mostly wait on their Redis,
  // Dovecot, SMTP server and worker processes, so two files share two cores well (whole suite on 2 cores:
  // 1,478 s with one worker, 1,012 s with two). Nothing in the suite is timed (README: benchmarks).
  maxWorkers: '100%',
};
