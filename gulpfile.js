'use strict';
// Build pipeline: TypeScript to dist, static assets beside the compiled nodes, and the XML parser
// bundled into dist so the published package has no runtime dependencies, with the licences of
// everything in that bundle in dist/THIRD_PARTY_NOTICES.md.
const { src, dest, series, parallel } = require('gulp');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, 'dist');
const NOTICES = path.join(DIST, 'THIRD_PARTY_NOTICES.md');
const VENDORED = {
	'fast-xml-parser': {
		// Its CommonJS build, a webpack bundle of the parser and of its own dependencies.
		from: require.resolve('fast-xml-parser'),
		to: path.join(DIST, 'vendor', 'fast-xml-parser.js'),
	},
};

/** The directory of package `name` as Node resolves it from `fromDir` (package.json need not be exported). */
function packageDir(name, fromDir) {
	for (let dir = fromDir; ; dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'node_modules', name);
		if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
		if (path.dirname(dir) === dir) throw new Error(`${name} is not installed (looked from ${fromDir})`);
	}
}

/**
 * `name` and everything it depends on at run time, as installed: what a bundle of `name` that
 * loads nothing at run time carries. Each package once, in the order met.
 */
function dependencyClosure(name, fromDir = __dirname, found = new Map()) {
	const dir = packageDir(name, fromDir);
	const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	if (found.has(manifest.name)) return found;
	found.set(manifest.name, { dir, manifest });
	for (const dependency of Object.keys(manifest.dependencies ?? {})) dependencyClosure(dependency, dir, found);
	return found;
}

const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

function authorOf(manifest) {
	const author = manifest.author;
	if (!author) return undefined;
	return typeof author === 'string' ? author.replace(/\s*[<(].*$/, '') : author.name;
}

/**
 * The licence text a package ships (LICENSE, LICENCE, COPYING, any case, any extension). An MIT
 * package that ships none gets the MIT licence's standard text with its author as the holder, and
 * says so; any other licence without a text stops the build.
 */
function licenceText({ dir, manifest }) {
	const file = fs
		.readdirSync(dir)
		.sort()
		.find((entry) => /^(licen[cs]e|copying)(\.|-|$)/i.test(entry) && fs.statSync(path.join(dir, entry)).isFile());
	if (file) return { text: fs.readFileSync(path.join(dir, file), 'utf8').trim(), source: `${file} of the package` };
	const author = authorOf(manifest);
	if (manifest.license === 'MIT' && author) {
		return {
			text: `MIT License\n\nCopyright (c) ${author}\n\n${MIT_TEXT}`,
			source: 'the package ships no licence file; its package.json declares "license": "MIT", so this is the standard MIT licence text with its author as the copyright holder',
		};
	}
	throw new Error(`${manifest.name} ships no licence file and is not MIT with an author; add its licence text by hand`);
}

function noticesFor(bundles) {
	const sections = [];
	for (const { file, packages } of bundles) {
		for (const { dir, manifest } of packages.values()) {
			const { text, source } = licenceText({ dir, manifest });
			const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
			sections.push(
				[
					`## ${manifest.name} ${manifest.version}`,
					'',
					`- Licence: ${manifest.license}`,
					`- Bundled into: ${file}`,
					...(repository ? [`- Source: ${repository.replace(/^git\+/, '')}`] : []),
					`- Licence text: ${source}`,
					'',
					'```text',
					text,
					'```',
				].join('\n'),
			);
		}
	}
	const names = bundles.flatMap(({ packages }) => [...packages.values()].map(({ manifest }) => `${manifest.name} ${manifest.version}`));
	return [
		'# Third-party notices',
		'',
		'n8n-nodes-booster is MIT-licensed (see LICENSE). Its dist/vendor folder carries third-party code:',
		'',
		...bundles.map(({ file, packages }) => `- ${file}: ${[...packages.keys()].join(', ')}`),
		'',
		`The licence of each of these ${names.length} packages follows. Generated by the build (gulpfile.js) from node_modules.`,
		'',
		sections.join('\n\n'),
		'',
	].join('\n');
}

function clean(done) {
	fs.rmSync(DIST, { recursive: true, force: true });
	done();
}

function compile() {
	return new Promise((resolve, reject) => {
		const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
			cwd: __dirname,
			stdio: 'inherit',
		});
		tsc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
	});
}

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest(DIST),
	);
}

function listJsFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return listJsFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

function bundleVendored(done) {
	const bundles = [];
	for (const [name, lib] of Object.entries(VENDORED)) {
		const code = fs.readFileSync(lib.from, 'utf8');
		// A bundle that loads nothing at run time carries all its dependencies, so their licences apply.
		const loads = code.match(/\brequire\s*\(\s*["'][^"']+["']\s*\)/g);
		if (loads) throw new Error(`${lib.from} loads ${loads.join(', ')} at run time; vendoring it alone would break`);
		const packages = dependencyClosure(name);
		const file = path.relative(DIST, lib.to).split(path.sep).join('/');
		bundles.push({ file, packages });
		const relativeNotices = path.relative(path.dirname(lib.to), NOTICES).split(path.sep).join('/');
		const banner = `/*! ${[...packages.values()].map(({ manifest }) => `${manifest.name} ${manifest.version}`).join(', ')}: ${[...new Set([...packages.values()].map(({ manifest }) => manifest.license))].join(', ')} licensed, licences in ${relativeNotices} */\n`;
		fs.mkdirSync(path.dirname(lib.to), { recursive: true });
		fs.writeFileSync(lib.to, banner + code);
		for (const file of listJsFiles(DIST)) {
			if (file.startsWith(path.join(DIST, 'vendor'))) continue;
			const pattern = new RegExp(`require\\((["'])${name}\\1\\)`, 'g');
			const compiled = fs.readFileSync(file, 'utf8');
			if (!pattern.test(compiled)) continue;
			let relative = path.relative(path.dirname(file), lib.to).split(path.sep).join('/');
			if (!relative.startsWith('.')) relative = `./${relative}`;
			fs.writeFileSync(file, compiled.replace(pattern, `require("${relative}")`));
		}
	}
	fs.writeFileSync(NOTICES, noticesFor(bundles));
	done();
}

const build = series(clean, compile, parallel(copyAssets, bundleVendored));

exports.clean = clean;
exports.build = build;
exports.default = build;
