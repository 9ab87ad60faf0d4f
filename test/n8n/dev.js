'use strict';
// `npm run dev` (= `npm start -- --dev`): after n8n is up, every change to the package's sources
// rebuilds it and puts the new dist/ into n8n's copy of the package. n8n runs with
// N8N_DEV_RELOAD=true, so it reloads the package's nodes in place (its "Hot reload triggered" log
// line) and the editor shows the change after a page refresh; where n8n cannot watch files it is
// restarted instead. A build that fails keeps the last good version running and prints why.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT } = require('./booster');

const WATCHED = ['nodes', 'credentials', 'package.json', 'gulpfile.js', 'tsconfig.json'];
const QUIET_MS = 300;

function build() {
	return new Promise((resolve) => {
		const child = spawn('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('close', (code) => resolve({ ok: code === 0, output }));
	});
}

/** Copies dist/ over the installed package's dist/ in place (the folder n8n watches stays). */
function syncDist(packageDir) {
	const source = path.join(ROOT, 'dist');
	const target = path.join(packageDir, 'dist');
	fs.cpSync(source, target, { recursive: true, force: true });
	const prune = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			const original = path.join(source, path.relative(target, full));
			if (!fs.existsSync(original)) fs.rmSync(full, { recursive: true, force: true });
			else if (entry.isDirectory()) prune(full);
		}
	};
	prune(target);
}

/**
 * Watches the sources; returns `{ stop(), restarting() }`. `n8n`: the running instance (for its log and restart);
 * `packageDir`: the package inside n8n's user folder.
 */
function watchSources({ n8n, packageDir, log }) {
	let timer = null;
	let running = false;
	let again = false;
	let restarting = false;
	const hotReload = () => !/hot reload is unavailable/i.test(n8n.logTail(200000));

	const rebuild = async () => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		const started = Date.now();
		log('change seen, building…');
		const result = await build();
		if (!result.ok) {
			log(`build failed, n8n keeps the last good version:\n${result.output.trim().slice(-4000)}`);
		} else {
			syncDist(packageDir);
			if (hotReload()) log(`built and reloaded in ${((Date.now() - started) / 1000).toFixed(1)}s; refresh the editor page`);
			else {
				restarting = true;
				await n8n.restart().finally(() => (restarting = false));
				log(`built, n8n restarted in ${((Date.now() - started) / 1000).toFixed(1)}s`);
			}
		}
		running = false;
		if (again) {
			again = false;
			await rebuild();
		}
	};

	const watchers = WATCHED.map((name) => path.join(ROOT, name))
		.filter((target) => fs.existsSync(target))
		.map((target) =>
			fs.watch(target, { recursive: fs.statSync(target).isDirectory() }, () => {
				clearTimeout(timer);
				timer = setTimeout(() => void rebuild(), QUIET_MS);
			}),
		);
	log(`watching ${WATCHED.join(', ')}; save a file to rebuild`);
	return {
		stop() {
			clearTimeout(timer);
			for (const watcher of watchers) watcher.close();
		},
		restarting: () => restarting,
	};
}

module.exports = { watchSources, syncDist };
