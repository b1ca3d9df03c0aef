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
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!force-app/**/__tests__/**'],
  coverageThreshold: { global: { lines: 90 } },
};
