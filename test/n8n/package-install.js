'use strict';
// Installs the package into an n8n user folder exactly as n8n's community-package installer does
// (n8n 2.41 CommunityPackagesService.downloadPackage):
//
//   1. `npm pack` → tarball
//   2. `tar -xzf <tarball> -C <userFolder>/.n8n/nodes/node_modules/<name> --strip-components=1`
//   3. strip devDependencies / peerDependencies / optionalDependencies from the extracted package.json
//   4. `npm install --ignore-scripts …` inside the package folder (skipped: we have no dependencies)
//   5. record `<name>: <version>` in `<userFolder>/.n8n/nodes/package.json`
//      ({ name: 'installed-nodes', private: true, dependencies: {...} })
//
// n8n then loads it at start-up by scanning `.n8n/nodes/node_modules`, so the node types are
// `n8n-nodes-booster.booster` / `n8n-nodes-booster.boosterTrigger`, as for a user's install.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function defaultLog(line) {
	process.stderr.write(`[n8n-package] ${line}\n`);
}

function sh(cmd, args, opts) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
	if (r.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stdout || '').slice(-3000)}\n${(r.stderr || '').slice(-3000)}`);
	}
	return r.stdout;
}

function newestMtime(target) {
	let newest = 0;
	const walk = (p) => {
		let st;
		try {
			st = fs.statSync(p);
		} catch {
			return;
		}
		if (st.isDirectory()) {
			for (const e of fs.readdirSync(p)) if (e !== 'node_modules') walk(path.join(p, e));
		} else newest = Math.max(newest, st.mtimeMs);
	};
	walk(target);
	return newest;
}

/** True when `dist/` is missing or older than the sources it is built from. */
function needsBuild(packageDir = ROOT) {
	const dist = path.join(packageDir, 'dist');
	if (!fs.existsSync(dist)) return true;
	const sources = ['nodes', 'credentials', 'package.json', 'tsconfig.json', 'gulpfile.js'].map((p) => path.join(packageDir, p));
	return Math.max(...sources.map(newestMtime)) > newestMtime(dist);
}

/**
 * `npm run build` in the package. `force: false` skips it when dist/ is up to date.
 */
function buildPackage({ packageDir = ROOT, force = true, log = defaultLog } = {}) {
	if (!force && !needsBuild(packageDir)) {
		log('dist/ is up to date, skipping build');
		return;
	}
	const started = Date.now();
	log('npm run build…');
	sh('npm', ['run', 'build', '--silent'], { cwd: packageDir, env: cleanNpmEnv() });
	log(`built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function cleanNpmEnv(base = process.env) {
	const env = { ...base };
	for (const key of Object.keys(env)) if (/^npm_(lifecycle|package|config_argv)/.test(key)) delete env[key];
	return env;
}

/** `npm pack` → absolute tarball path (in `destDir`, default a fresh temp folder). */
function packPackage({ packageDir = ROOT, destDir } = {}) {
	const dest = destDir || fs.mkdtempSync(path.join(os.tmpdir(), 'booster-pack-'));
	fs.mkdirSync(dest, { recursive: true });
	const out = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: packageDir, env: cleanNpmEnv() });
	const info = JSON.parse(out.slice(out.indexOf('[')));
	const tarball = path.join(dest, info[0].filename);
	return { tarball, name: info[0].name, version: info[0].version, files: info[0].files.map((f) => f.path) };
}

/**
 * Extracts `tarball` into `<userFolder>/.n8n/nodes/node_modules/<name>` the way n8n does.
 * Returns { packageDir, name, version, nodeTypes, credentialTypes }.
 */
function installTarball({ tarball, userFolder, log = defaultLog }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-unpack-'));
	try {
		sh('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1']);
		const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'package.json'), 'utf8'));
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = manifest;
		const packageDir = path.join(nodesDir, 'node_modules', manifest.name);
		fs.rmSync(packageDir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(packageDir), { recursive: true });
		fs.cpSync(tmp, packageDir, { recursive: true });
		fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(stripped, null, 2), 'utf-8');
		if (stripped.dependencies && Object.keys(stripped.dependencies).length) {
			// n8n would `npm install` them; n8n's verification rejects runtime dependencies anyway.
			log(`WARNING: ${manifest.name} declares runtime dependencies (${Object.keys(stripped.dependencies).join(', ')}); installing them like n8n does`);
			sh('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], {
				cwd: packageDir,
				env: cleanNpmEnv(),
			});
		}
		// the ledger n8n keeps of installed community packages
		const ledgerPath = path.join(nodesDir, 'package.json');
		let ledger = null;
		try {
			ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
		} catch {
			// missing or unreadable: n8n rebuilds it too
		}
		if (!ledger || typeof ledger.dependencies !== 'object') ledger = { name: 'installed-nodes', private: true, dependencies: {} };
		ledger.dependencies[manifest.name] = manifest.version;
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf-8');

		const n8n = manifest.n8n || {};
		const typeName = (file) => path.basename(file).replace(/\.(node|credentials)\.js$/, '');
		const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
		for (const file of [...(n8n.nodes || []), ...(n8n.credentials || [])]) {
			if (!fs.existsSync(path.join(packageDir, file))) throw new Error(`${manifest.name}: ${file} listed in package.json "n8n" is not in the packed tarball`);
		}
		return {
			packageDir,
			name: manifest.name,
			version: manifest.version,
			// by n8n's convention the class `Booster` has `name: 'booster'`; the e2e tests check the real list
			nodeTypes: (n8n.nodes || []).map((f) => `${manifest.name}.${lowerFirst(typeName(f))}`),
			credentialTypes: (n8n.credentials || []).map((f) => lowerFirst(typeName(f))),
		};
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/**
 * Build (if needed) + pack + install into `userFolder`. Options:
 *   packageDir  package to install (default: this repository)
 *   build       true | false | 'auto' (default 'auto': only when dist/ is stale)
 *   tarball     install this tarball instead of packing
 */
function installPackage({ userFolder, packageDir = ROOT, build = 'auto', tarball, log = defaultLog } = {}) {
	if (!userFolder) throw new Error('installPackage: userFolder is required');
	let packed = null;
	if (!tarball) {
		if (build) buildPackage({ packageDir, force: build === true, log });
		packed = packPackage({ packageDir });
		tarball = packed.tarball;
	}
	try {
		const installed = installTarball({ tarball, userFolder, log });
		log(`installed ${installed.name}@${installed.version} into ${installed.packageDir}`);
		return installed;
	} finally {
		if (packed) fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
	}
}

module.exports = { buildPackage, needsBuild, packPackage, installTarball, installPackage };

if (require.main === module) {
	// node test/n8n/package-install.js <userFolder> [packageDir]
	const userFolder = process.argv[2];
	if (!userFolder) {
		console.error('usage: node test/n8n/package-install.js <userFolder> [packageDir]');
		process.exit(2);
	}
	console.log(JSON.stringify(installPackage({ userFolder: path.resolve(userFolder), packageDir: path.resolve(process.argv[3] || ROOT) }), null, 2));
}
