/**
 * One jest run for everything, so CI prints one summary line:
 * - app: Taro components and the client in jsdom (src/jest.config.js);
 * - node: pure domain, seed, emulator and the functions through the real wx-server-sdk;
 * - build: checks on the real weapp build;
 * - e2e: the H5 app in real Chromium against the local cloud.
 */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
];

const node = (displayName, roots, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  roots,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
  ...extra,
});

module.exports = {
  // One worker per core (jest's default leaves one core idle): a browser test waits on Chromium
  // and a function test on its local cloud, so on two cores two files at a time finish the suite
  // in little more than half the time.
  maxWorkers: '100%',
  // Longest files first, also on a fresh clone that has no timings yet (see the file).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    { displayName: 'app', ...require('./src/jest.config.js') },
    node('node', ['<rootDir>/cloudfunctions', '<rootDir>/seed', '<rootDir>/emulator', '<rootDir>/test/functions', '<rootDir>/test/house', '<rootDir>/scripts']),
    node('build', ['<rootDir>/test/build']),
    node('e2e', ['<rootDir>/e2e']),
  ],
};
