/**
 * Unit tests of the app (components, stores, the client) in jsdom, compiled by babel-jest with
 * the app's own babel config. Run from the repo root: `npx jest -c src/jest.config.js`.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Taro 4 and several of its dependencies ship only ES modules: let babel compile them.
const esmPackages = [
  '@tarojs',
  '@nutui',
  '@stencil',
  'zustand',
  '@swc/helpers',
  'tslib',
  'query-string',
  'decode-uri-component',
  'split-on-first',
  'filter-obj',
  'nanoid',
  'style-inject',
  'swiper',
  'lodash-es',
  // @tarojs/components/lib/react carries a nested pnpm tree (its own tslib).
  '\\.pnpm',
];

module.exports = {
  rootDir: root,
  roots: ['<rootDir>/src'],
  testEnvironment: '<rootDir>/src/test-setup/jsdom-with-fetch.js',
  testMatch: ['<rootDir>/src/**/*.test.ts?(x)'],
  // jsdom renders of Taro components share the two cores with a browser test in the other worker.
  testTimeout: 30_000,
  // Per-platform files resolve like in the H5 build: x.h5.ts before x.ts.
  moduleFileExtensions: ['h5.tsx', 'h5.ts', 'tsx', 'ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '\\.(mjs|cjs|js|jsx|ts|tsx)$': ['babel-jest', { configFile: path.join(root, 'babel.config.js') }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': '<rootDir>/src/test-setup/style-stub.js',
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '^@tarojs/taro$': '<rootDir>/src/test-setup/taro.js',
    '^@/(.*)$': '<rootDir>/src/$1',
  },
  setupFiles: ['<rootDir>/src/test-setup/globals.js'],
  setupFilesAfterEnv: ['<rootDir>/src/test-setup/after-env.js'],
};
