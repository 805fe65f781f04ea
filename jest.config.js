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
};
