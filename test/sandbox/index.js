'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { resolveConfig, updateConfig } = require('./lib/config');
const { createDataset, computeKpi } = require('./lib/dataset');
const { createAuthenticator } = require('./lib/auth');
const { createExportService, CSV_COLUMNS } = require('./lib/exports');
const { createRequestLog, createCounters, createFaultInjector } = require('./lib/observability');
const { createHttpServer } = require('./lib/server');
const { buildCustomerFilter } = require('./lib/filters');
const catalog = require('./lib/catalog');

const { SANDBOX_ACCOUNTS } = catalog;

/**
 * Starts a Booster sandbox on 127.0.0.1. Resolves to `{ url, port, state, stop, accounts }`.
 * See README.md in this folder for options, routes and definitions.
 */
async function startSandbox(options = {}) {
	const config = resolveConfig(options);
	const parentDir = config.dataDir || os.tmpdir();
	fs.mkdirSync(parentDir, { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(parentDir, 'booster-sandbox-'));
	let clockOffsetMs = 0;
	const now = () => Date.now() + clockOffsetMs;
	const dataset = createDataset({ seed: config.seed, customers: config.customers });
	const faults = createFaultInjector(config);
	const exportsService = createExportService({ dataset, config, now, dataDir });
	const requestLog = createRequestLog(10000);
	const counters = createCounters();
	let url = null;

	const context = {
		config,
		dataset,
		now,
		advanceClock: (ms) => {
			clockOffsetMs += ms;
		},
		auth: createAuthenticator({ accounts: SANDBOX_ACCOUNTS, now, config }),
		exports: exportsService,
		requestLog,
		counters,
		faults,
		url: () => url,
		setConfig(patch) {
			updateConfig(config, patch);
			if (patch.faults) faults.restart();
		},
	};

	const server = createHttpServer(context);
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, '127.0.0.1', resolve);
	});
	const port = server.address().port;
	url = `http://127.0.0.1:${port}`;

	const state = {
		config,
		dataDir,
		dataset,
		counters,
		requestLog,
		tasks: exportsService.tasks,
		accounts: SANDBOX_ACCOUNTS,
		pointsOfSale: catalog.POINTS_OF_SALE,
		csvColumns: CSV_COLUMNS.map(([name]) => name),
		now,
		advanceClock: context.advanceClock,
		setConfig: context.setConfig,
		failNextExports: (count = 1) => exportsService.failNextExports(count),
		computeKpi,
		buildCustomerFilter,
		consentsOf: (boosterCustomerId) => dataset.consentsOf(boosterCustomerId),
		consentUpdates: dataset.consentUpdates,
		addCustomers: (count, options = {}) => dataset.addCustomers(count, options, now()),
		taskView: (asyncTaskId) => {
			const task = exportsService.tasks.get(asyncTaskId);
			return task ? exportsService.view(task, url) : null;
		},
		resetRequestLog: () => requestLog.clear(),
	};

	let stopping = null;
	async function stop() {
		if (stopping) return stopping;
		stopping = (async () => {
			await new Promise((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
			await exportsService.whenWritten().catch(() => {});
			fs.rmSync(dataDir, { recursive: true, force: true });
		})();
		return stopping;
	}

	return { url, port, state, stop, accounts: SANDBOX_ACCOUNTS };
}

module.exports = { startSandbox, SANDBOX_ACCOUNTS };
