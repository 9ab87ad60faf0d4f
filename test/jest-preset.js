'use strict';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				tsconfig: {
					module: 'commonjs',
					target: 'ES2022',
					esModuleInterop: true,
					resolveJsonModule: true,
					strict: true,
					skipLibCheck: true,
					types: ['node', 'jest'],
				},
			},
		],
	},
	testTimeout: 30000,
};
