/** Jest runs the TypeScript sources directly through swc; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    '^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  // pdf-parse's worker is an .mjs file: transform it instead of importing it dynamically.
  transformIgnorePatterns: ['/node_modules/(?!(pdfjs-dist|pdf-parse)/)'],
  setupFiles: ['<rootDir>/test/setup/pdfjs-worker.js'],
  testTimeout: 60000,
};
