'use strict';
// jest config of the end-to-end suite (real n8n processes): `jest --config test/e2e/jest.config.js`.
// Same ts-jest set-up as the unit tests (test/jest-preset.js); only *.e2e.test.ts files, one file
// at a time (each file starts its own sandbox + n8n).
const path = require('node:path');
const preset = require('../jest-preset.js');

module.exports = {
	...preset,
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'e2e',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	maxWorkers: 1,
	// the first run installs Node 24 + n8n (~4 min); test files set their own timeouts too
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 60,
};
