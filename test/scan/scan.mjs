#!/usr/bin/env node
// `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package), run the way n8n's
// verification runs it, on this checkout instead of a published version.
//
// The scanner's command line takes a package name and works only on what is published: it reads
// the npm registry, requires npm provenance, downloads the attested commit from GitHub and the
// tarball with `npm pack <name>@<version>`. So this script calls the scanner's own analysis
// function, `analyzePackage`, on the two things that command line would have fetched:
//   - the sources, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/ and credentials/),
//   - the tarball `npm pack` makes of this checkout, unpacked, with `**/*.js` and package.json,
// and fails unless both pass. Any warning fails too (the scanner itself fails on errors only).
//
// The scanner pins TypeScript 7, which has no JavaScript API for @typescript-eslint's parser; the
// parser it loads here resolves the project's TypeScript 5 instead, which is checked below.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const scannerRequire = createRequire(scannerPath);
const scannerVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(scannerPath), '..', 'package.json'), 'utf8')).version;

/** The TypeScript that @typescript-eslint's parser, as the scanner loads it, would use. */
function typescriptOfScannerParser() {
	const parser = scannerRequire.resolve('@typescript-eslint/parser');
	const estree = createRequire(parser).resolve('@typescript-eslint/typescript-estree');
	const ts = createRequire(estree)('typescript');
	return { version: ts.version, usable: typeof ts.createSourceFile === 'function' };
}

function run(command, args, options) {
	const result = spawnSync(command, args, { encoding: 'utf8', ...options });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
	return result.stdout;
}

/** `npm pack` of the checkout, unpacked as the scanner unpacks a downloaded tarball. */
function packAndUnpack(workDir) {
	if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], { cwd: root }));
	const packageDir = path.join(workDir, `${packed.name}-${packed.version}`);
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', path.join(workDir, packed.filename), '-C', packageDir, '--strip-components=1']);
	return { packageDir, packed };
}

/** Every message of ESLint with the scanner's own configuration (errors and warnings), for the count. */
async function findings(scanner, dir, patterns) {
	const { ESLint } = await import(pathToFileURL(scannerRequire.resolve('eslint')).href);
	const glob = scannerRequire('fast-glob');
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const results = await eslint.lintFiles(files);
	const count = (key) => results.reduce((sum, result) => sum + result[key], 0);
	const formatted = await (await eslint.loadFormatter('stylish')).format(results);
	return { files: files.length, errors: count('errorCount'), warnings: count('warningCount'), formatted };
}

async function main() {
	const ts = typescriptOfScannerParser();
	if (!ts.usable) {
		throw new Error(`the scanner's parser would use TypeScript ${ts.version}, which has no JavaScript API; install a TypeScript 5 next to it`);
	}
	// The scanner makes a temporary folder when loaded; tmp removes it on exit only when asked.
	scannerRequire('tmp').setGracefulCleanup();
	const scanner = await import(pathToFileURL(scannerPath).href);
	console.log(`@n8n/scan-community-package ${scannerVersion} (analyzePackage; parser on TypeScript ${ts.version})`);

	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-scan-'));
	let failed = false;
	try {
		const { packageDir, packed } = packAndUnpack(workDir);
		const legs = [
			{ label: 'sources', dir: root, patterns: scanner.SOURCE_FILE_PATTERNS },
			{ label: `tarball ${packed.filename}`, dir: packageDir, patterns: ['**/*.js', 'package.json'] },
		];
		for (const { label, dir, patterns } of legs) {
			const verdict = await scanner.analyzePackage(dir, patterns);
			const found = await findings(scanner, dir, patterns);
			const clean = verdict.passed && found.errors === 0 && found.warnings === 0;
			failed ||= !clean;
			console.log(
				`${clean ? '✅' : '❌'} ${label} (${patterns.join(', ')}): ${found.files} files, ${found.errors} errors, ${found.warnings} warnings` +
					(verdict.passed ? '' : ` (${verdict.message})`),
			);
			if (!clean) console.log(verdict.details ?? found.formatted);
		}
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
	if (failed) {
		console.log('❌ n8n-nodes-booster has failed the checks of n8n\'s scanner');
		process.exitCode = 1;
	} else {
		console.log('✅ n8n-nodes-booster has passed the checks of n8n\'s scanner (provenance is checked on the published version only)');
	}
}

main().catch((error) => {
	console.error(`Scan failed: ${error.message}`);
	process.exitCode = 1;
});
