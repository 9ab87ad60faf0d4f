'use strict';
// Minimal TypeScript loader for the benchmark's in-process part: transpiles .ts files with the
// project's own `typescript` (no type check), as ts-jest does with isolatedModules.
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	sourceMap: false,
	inlineSourceMap: true,
};

let registered = false;
function register() {
	if (registered) return;
	registered = true;
	require.extensions['.ts'] = function loadTs(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
		module._compile(outputText, filename);
	};
}

module.exports = { register };
