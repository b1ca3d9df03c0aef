import lwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = lwcJest;

export default {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/bridge', '<rootDir>/node_modules'],
  testPathIgnorePatterns: ['<rootDir>/bridge/', '<rootDir>/node_modules/', '<rootDir>/scripts/'],
  moduleNameMapper: {
    ...(jestConfig.moduleNameMapper ?? {}),
  },
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!force-app/**/__tests__/**'],
  coverageThreshold: { global: { lines: 90 } },
};
