/**
 * What the published package holds: the tarball `npm pack` makes of the checkout (built first when
 * dist/ is missing or older than the sources), unpacked and read file by file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NOTICES = 'dist/THIRD_PARTY_NOTICES.md';
const VENDORED_BUNDLE = 'dist/vendor/fast-xml-parser.js';
/** What the bundle is known to carry (fast-xml-parser 5.12): a floor, so that a broken walk of the lockfile cannot pass. */
const KNOWN_BUNDLED = ['fast-xml-parser', '@nodable/entities', 'fast-xml-builder', 'is-unsafe', 'path-expression-matcher', 'strnum', 'xml-naming', 'anynum'];
const MIT_GRANT = 'Permission is hereby granted, free of charge, to any person obtaining a copy';

function run(command: string, args: string[], cwd = ROOT): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
	return result.stdout;
}

function newestMtime(entry: string): number {
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** dist/ as the build makes it from the current sources; the notices are the build's last output. */
function ensureBuilt(): void {
	const notices = path.join(ROOT, NOTICES);
	const sources = ['nodes', 'credentials', 'gulpfile.js', 'tsconfig.json', 'package.json', 'package-lock.json'].map((entry) => path.join(ROOT, entry));
	if (fs.existsSync(notices) && fs.statSync(notices).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
	run('npm', ['run', 'build']);
}

function listFiles(dir: string, base = dir): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

interface LockPackage {
	version: string;
	license?: string;
	dependencies?: Record<string, string>;
}

/**
 * fast-xml-parser and everything it depends on at run time, read from package-lock.json (npm's
 * resolution: a dependency is looked up in node_modules folders from the dependent outwards).
 */
function bundledFromLockfile(): Map<string, { location: string; version: string; license?: string }> {
	const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
	const found = new Map<string, { location: string; version: string; license?: string }>();
	const resolve = (name: string, from: string): string => {
		for (let location = from; ; ) {
			const candidate = `${location ? `${location}/` : ''}node_modules/${name}`;
			if (lock.packages[candidate]) return candidate;
			if (!location) throw new Error(`package-lock.json does not resolve ${name} from ${from}`);
			const parent = location.lastIndexOf('/node_modules/');
			location = parent === -1 ? '' : location.slice(0, parent);
		}
	};
	const visit = (name: string, from: string) => {
		if (found.has(name)) return;
		const location = resolve(name, from);
		const entry = lock.packages[location];
		found.set(name, { location, version: entry.version, license: entry.license });
		for (const dependency of Object.keys(entry.dependencies ?? {})) visit(dependency, location);
	};
	visit('fast-xml-parser', '');
	return found;
}

function licenceFileOf(location: string): string | undefined {
	const dir = path.join(ROOT, location);
	const file = fs.readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|-|$)/i.test(entry));
	return file && fs.readFileSync(path.join(dir, file), 'utf8').trim();
}

let workDir: string;
let packageDir: string;
let packed: { size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> };
let files: string[];
const read = (file: string) => fs.readFileSync(path.join(packageDir, file), 'utf8');

beforeAll(() => {
	ensureBuilt();
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-pack-'));
	[packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir]));
	const tarball = fs.readdirSync(workDir).find((entry) => entry.endsWith('.tgz'))!;
	packageDir = path.join(workDir, 'package');
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', path.join(workDir, tarball), '-C', packageDir, '--strip-components=1']);
	files = listFiles(packageDir).sort();
}, 180_000);
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('the published package', () => {
	it('holds the tarball npm reports, and only what n8n loads, the notices and the usual package files', () => {
		expect(files).toEqual(packed.files.map((file) => file.path).sort());
		const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^index\.js$/, /^dist\/THIRD_PARTY_NOTICES\.md$/, /^dist\/(nodes|credentials|vendor)\/.+\.(js|json|svg|png)$/];
		expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
	});

	it('has no source maps, TypeScript sources or declarations, tests, examples or tarballs', () => {
		expect(files.filter((file) => /\.(map|ts|tgz)$/.test(file) || /^(test|examples|nodes|credentials|\.cache|node_modules)\//.test(file))).toEqual([]);
		expect(files.filter((file) => file.endsWith('.js') && /sourceMappingURL/.test(read(file)))).toEqual([]);
	});

	it('holds every node and credential package.json declares, and each compiled file loads only what the package carries', () => {
		const manifest = JSON.parse(read('package.json'));
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(file);
		expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
		const unresolved: string[] = [];
		for (const file of files.filter((entry) => entry.endsWith('.js') && entry !== VENDORED_BUNDLE)) {
			for (const [, specifier] of read(file).matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
				if (specifier.startsWith('.')) {
					const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
					if (![target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((candidate) => files.includes(candidate))) unresolved.push(`${file}: ${specifier}`);
				} else if (specifier !== 'n8n-workflow' && !builtinModules.includes(specifier.replace(/^node:/, ''))) {
					unresolved.push(`${file}: ${specifier}`);
				}
			}
		}
		expect(unresolved).toEqual([]);
	});

	it('ships the XML parser as one self-contained file that points at its licences', () => {
		const bundle = read(VENDORED_BUNDLE);
		expect(bundle.match(/\brequire\s*\(/g)).toBeNull();
		expect(bundle.split('\n')[0]).toMatch(/^\/\*! fast-xml-parser .*licences in \.\.\/THIRD_PARTY_NOTICES\.md \*\/$/);
	});

	it('names every package bundled into the XML parser in the notices, with its version and licence text', () => {
		expect(files).toContain(NOTICES);
		const notices = read(NOTICES);
		const bundled = bundledFromLockfile();
		expect([...bundled.keys()]).toEqual(expect.arrayContaining(KNOWN_BUNDLED));
		const sections = new Map(
			notices
				.split(/^## /m)
				.slice(1)
				.map((section) => [section.slice(0, section.indexOf('\n')), section] as const),
		);
		for (const [name, { location, version, license }] of bundled) {
			const section = sections.get(`${name} ${version}`);
			expect({ name, section: section !== undefined }).toEqual({ name, section: true });
			expect(section).toContain(`- Licence: ${license}`);
			const text = licenceFileOf(location);
			if (text) {
				expect(section).toContain(text);
			} else {
				// No licence file in the package: the standard MIT text, said so.
				expect(license).toBe('MIT');
				expect(section).toContain('ships no licence file');
				expect(section).toContain(MIT_GRANT);
			}
		}
		expect(sections.size).toBe(bundled.size);
	});

	it('stays small: under 200 kB packed, under 600 kB unpacked', () => {
		expect(packed.size).toBeLessThan(200_000);
		expect(packed.unpackedSize).toBeLessThan(600_000);
		expect(packed.entryCount).toBe(files.length);
	});
});
