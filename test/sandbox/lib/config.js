'use strict';

/**
 * Every knob: option name, type, default, CLI flag and environment variable
 * (flag `--latency-ms`, env `BOOSTER_SANDBOX_LATENCY_MS`). Run-time knobs can also be changed with
 * `PUT /__sandbox/config` or `state.config`.
 */
const KNOBS = [
	{ name: 'port', type: 'int', default: 0, runtime: false },
	{ name: 'seed', type: 'int', default: 42, runtime: false },
	{ name: 'customers', type: 'int', default: 5000, runtime: false },
	{ name: 'dataDir', type: 'string', default: null, runtime: false },
	{ name: 'exportDurationMs', type: 'int', default: 2000, runtime: true },
	{ name: 'tokenTtlSeconds', type: 'number', default: 3600, runtime: true },
	{ name: 'signedUrlTtlSeconds', type: 'number', default: 300, runtime: true },
	{ name: 'strictXml', type: 'bool', default: true, runtime: true },
	{ name: 'latencyMs', type: 'int', default: 0, runtime: true },
	{ name: 'maxInFlight', type: 'int', default: 0, runtime: true, note: '0 = unlimited' },
	{ name: 'retryAfterSeconds', type: 'int', default: 1, runtime: true },
	{ name: 'faults.rate429', type: 'number', default: 0, runtime: true, stem: 'fault-429-rate' },
	{ name: 'faults.rate500', type: 'number', default: 0, runtime: true, stem: 'fault-500-rate' },
	{ name: 'faults.rate503', type: 'number', default: 0, runtime: true, stem: 'fault-503-rate' },
	{ name: 'faults.resetRate', type: 'number', default: 0, runtime: true },
	{ name: 'faults.seed', type: 'int', default: null, runtime: true, note: 'defaults to seed' },
];

const kebab = (name) => name.replace(/\./g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const stemOf = (knob) => knob.stem || kebab(knob.name).replace(/^faults-/, 'fault-');
const flagOf = (knob) => `--${stemOf(knob)}`;
const envOf = (knob) => `BOOSTER_SANDBOX_${stemOf(knob).replace(/-/g, '_').toUpperCase()}`;

function convert(knob, value) {
	if (value === null || value === undefined) return value;
	switch (knob.type) {
		case 'int':
		case 'number': {
			const number = Number(value);
			if (!Number.isFinite(number) || (knob.type === 'int' && !Number.isInteger(number))) throw new Error(`${knob.name} must be a ${knob.type === 'int' ? 'whole ' : ''}number, got '${value}'`);
			if (knob.name.startsWith('faults.rate') || knob.name === 'faults.resetRate') {
				if (number < 0 || number > 1) throw new Error(`${knob.name} must be between 0 and 1`);
			}
			return number;
		}
		case 'bool':
			if (typeof value === 'boolean') return value;
			if (/^(true|1|yes|on)$/i.test(String(value))) return true;
			if (/^(false|0|no|off)$/i.test(String(value))) return false;
			throw new Error(`${knob.name} must be true or false, got '${value}'`);
		default:
			return String(value);
	}
}

function getPath(object, path) {
	return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
}

function setPath(object, path, value) {
	const keys = path.split('.');
	const last = keys.pop();
	const target = keys.reduce((value, key) => (value[key] = value[key] || {}), object);
	target[last] = value;
}

function resolveConfig(options = {}) {
	const config = { faults: {} };
	for (const knob of KNOBS) {
		const given = getPath(options, knob.name);
		setPath(config, knob.name, given === undefined ? knob.default : convert(knob, given));
	}
	if (config.faults.seed === null) config.faults.seed = config.seed;
	return config;
}

/** Applies a partial update (same shape as the options) to a live config; only run-time knobs. */
function updateConfig(config, patch) {
	for (const knob of KNOBS) {
		const given = getPath(patch, knob.name);
		if (given === undefined) continue;
		if (!knob.runtime) throw new Error(`${knob.name} cannot be changed at run time`);
		setPath(config, knob.name, convert(knob, given));
	}
	const known = new Set(KNOBS.map((knob) => knob.name));
	for (const key of Object.keys(patch)) {
		if (key === 'faults' && patch.faults && typeof patch.faults === 'object') {
			for (const faultKey of Object.keys(patch.faults)) if (!known.has(`faults.${faultKey}`)) throw new Error(`Unknown knob faults.${faultKey}`);
		} else if (!known.has(key)) throw new Error(`Unknown knob ${key}`);
	}
	return config;
}

/** Options from command-line flags (`--name value` or `--name=value`) and BOOSTER_SANDBOX_* env. */
function optionsFromCommandLine(argv, env) {
	const options = {};
	for (const knob of KNOBS) {
		if (env[envOf(knob)] !== undefined) setPath(options, knob.name, convert(knob, env[envOf(knob)]));
	}
	if (env.BOOSTER_SANDBOX_PORT === undefined) options.port = 4010;
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split(/=(.*)/s);
		if (flag === '--help' || flag === '-h') return { help: true };
		const knob = KNOBS.find((candidate) => flagOf(candidate) === flag);
		if (!knob) throw new Error(`Unknown flag ${flag} (try --help)`);
		const value = inline !== undefined ? inline : knob.type === 'bool' && (argv[index + 1] === undefined || argv[index + 1].startsWith('--')) ? 'true' : argv[++index];
		setPath(options, knob.name, convert(knob, value));
	}
	return options;
}

function usage() {
	return KNOBS.map((knob) => `  ${flagOf(knob).padEnd(26)} ${envOf(knob).padEnd(40)} default ${knob.name === 'port' ? 4010 : knob.default}${knob.note ? ` (${knob.note})` : ''}`).join('\n');
}

module.exports = { KNOBS, resolveConfig, updateConfig, optionsFromCommandLine, usage, flagOf, envOf };
