import lwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = lwcJest;

export default {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/bridge', '<rootDir>/node_modules'],
  testPathIgnorePatterns: ['<rootDir>/bridge/', '<rootDir>/node_modules/', '<rootDir>/scripts/'],
  // Only LWC suites live under force-app; without this jest would also pick up node:test files.
  roots: ['<rootDir>/force-app'],
  moduleNameMapper: {
    ...(jestConfig.moduleNameMapper ?? {}),
    '^@salesforce/apex$': '<rootDir>/config/jest/mocks/apex',
  },
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/config/jest/setupTests.js'],
  // @lwc/jest-transformer's cache key ignores whether coverage is on, so a cached (uninstrumented)
  // transform silently drops files from the coverage report; the suite is small, so skip the cache.
  cache: false,
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!force-app/**/__tests__/**'],
  coverageThreshold: { global: { lines: 95 } },
  // an accessibility scan of the whole console takes seconds on a loaded machine; a test waits for
  // its outcome, it is not a speed check
  testTimeout: 30_000,
};
