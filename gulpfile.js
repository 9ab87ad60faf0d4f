'use strict';
// Build pipeline: TypeScript to dist, static assets beside the compiled nodes, and the XML parser
// bundled into dist so the published package has no runtime dependencies.
const { src, dest, series, parallel } = require('gulp');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, 'dist');
const VENDORED = {
	'fast-xml-parser': {
		from: require.resolve('fast-xml-parser'),
		license: path.join(path.dirname(require.resolve('fast-xml-parser')), '..', 'LICENSE'),
		to: path.join(DIST, 'vendor', 'fast-xml-parser.js'),
	},
};

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
	for (const [name, lib] of Object.entries(VENDORED)) {
		fs.mkdirSync(path.dirname(lib.to), { recursive: true });
		fs.copyFileSync(lib.from, lib.to);
		fs.copyFileSync(lib.license, `${lib.to}.LICENSE`);
		const pattern = new RegExp(`require\\((["'])${name}\\1\\)`, 'g');
		for (const file of listJsFiles(DIST)) {
			if (file.startsWith(path.join(DIST, 'vendor'))) continue;
			const code = fs.readFileSync(file, 'utf8');
			if (!pattern.test(code)) continue;
			let relative = path.relative(path.dirname(file), lib.to).split(path.sep).join('/');
			if (!relative.startsWith('.')) relative = `./${relative}`;
			fs.writeFileSync(file, code.replace(pattern, `require("${relative}")`));
		}
	}
	done();
}

const build = series(clean, compile, parallel(copyAssets, bundleVendored));

exports.clean = clean;
exports.build = build;
exports.default = build;
