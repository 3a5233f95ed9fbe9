/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  // Integration tests start Azurite and the emulator; give them room but never hide a hang.
  testTimeout: 60000,
  // Two cores: more workers than that only adds contention with the servers the tests start.
  maxWorkers: 2,
};
