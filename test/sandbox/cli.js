#!/usr/bin/env node
'use strict';

const { startSandbox, SANDBOX_ACCOUNTS } = require('./index');
const { optionsFromCommandLine, usage } = require('./lib/config');

async function main() {
	let options;
	try {
		options = optionsFromCommandLine(process.argv.slice(2), process.env);
	} catch (error) {
		console.error(error.message);
		process.exit(2);
	}
	if (options.help) {
		console.log(`Usage: npm run sandbox -- [flags]\n\nFlag                         Environment variable\n${usage()}`);
		return;
	}
	const sandbox = await startSandbox(options);
	console.log(`Booster sandbox listening on ${sandbox.url} (${sandbox.state.dataset.size} customers, seed ${sandbox.state.config.seed})`);
	for (const account of Object.values(SANDBOX_ACCOUNTS)) {
		console.log(`  ${account.name.padEnd(8)} apiKey ${account.apiKey}  userName ${account.userName}  password ${account.password}  brands ${account.brands.join(',')}${account.posCodes ? `  POS ${account.posCodes.join(',')}` : ''}`);
	}
	console.log(`  control: ${sandbox.url}/__sandbox/config, /__sandbox/requests, /__sandbox/counters, /__sandbox/leaks`);
	let stopping = false;
	const shutdown = async (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping the Booster sandbox`);
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
