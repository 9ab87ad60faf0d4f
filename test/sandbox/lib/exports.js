'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { once } = require('node:events');
const { buildCustomerFilter } = require('./filters');
const { computeKpi } = require('./dataset');

/** Columns of the export CSV, in order. List columns join their ids with `|`. */
const CSV_COLUMNS = [
	['boosterCustomerId', (c) => c.boosterCustomerId],
	['sapId', (c) => c.sapId],
	['brand', (c) => c.brand],
	['posCode', (c) => c.posCode],
	['firstName', (c) => c.firstName],
	['lastName', (c) => c.lastName],
	['email', (c) => c.email],
	['phone', (c) => c.phone],
	['locationCountryId', (c) => c.locationCountryId],
	['customerStatus', (c) => c.customerStatus],
	['birthDate', (c) => c.birthDate || ''],
	['creationDate', (c) => c.creationDate],
	['canBeContactedByMaison', (c) => c.canBeContactedByMaison],
	['hasSapCrmError', (c) => c.hasSapCrmError],
	['interests', (c) => c.interests.map((entry) => entry.sapInterestId).join('|')],
	['hobbies', (c) => c.hobbies.map((entry) => entry.sapHobbyId).join('|')],
	['productCollections', (c) => c.productCollections.map((entry) => entry.sapProductCollectionId).join('|')],
	['productCategories', (c) => c.productCategories.map((entry) => entry.subCategoryId).join('|')],
	['saleRepresentativeEmails', (c) => c.saleRepresentativeEmails.join('|')],
	['totalTransaction', (c, kpi) => kpi.totalTransaction],
	['totalSpendingAmount', (c, kpi) => kpi.totalSpendingAmount],
	['currencyCode', (c) => c.currencyCode],
];

function csvField(value) {
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(customer) {
	const kpi = computeKpi(customer);
	return `${CSV_COLUMNS.map(([, read]) => csvField(read(customer, kpi))).join(',')}\r\n`;
}

/**
 * Export tasks. A task is REQ for the first 10% of exportDurationMs, then INP with a percentage that
 * rises with elapsed time, then COM once exportDurationMs has passed and its file is written (or
 * ERR when it was told to fail). Status is computed when the task is read, from `now()`.
 */
function createExportService({ dataset, config, now, dataDir }) {
	const tasks = new Map();
	const taskIdByRequest = new Map();
	const signingSecret = crypto.randomBytes(32);
	let exportsToFail = 0;

	async function writeFile(task, filter, brand) {
		const stream = fs.createWriteStream(task.filePath);
		const streamClosed = once(stream, 'close');
		stream.on('error', () => {});
		try {
			stream.write(`${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`);
			let chunk = '';
			let count = 0;
			for (const customer of dataset.customersOfBrand(brand)) {
				if (!filter(customer)) continue;
				chunk += csvLine(customer);
				count++;
				if (chunk.length > 256 * 1024) {
					if (!stream.write(chunk)) await once(stream, 'drain');
					else await new Promise(setImmediate);
					chunk = '';
				}
			}
			stream.end(chunk);
			await streamClosed;
			task.totalResults = count;
			task.fileReady = true;
		} catch (error) {
			stream.destroy();
			task.writeError = error;
		}
	}

	function countMatches(filter, brand) {
		let count = 0;
		for (const customer of dataset.customersOfBrand(brand)) if (filter(customer)) count++;
		return count;
	}

	function create(account, search) {
		const requestKey = `${account.name}\u0000${search.downloadRequestId}`;
		const existing = taskIdByRequest.get(requestKey);
		if (existing) return { task: tasks.get(existing), created: false };
		const asyncTaskId = crypto.randomUUID().replace(/-/g, '');
		const brand = search.brand;
		const task = {
			asyncTaskId,
			accountName: account.name,
			brand,
			downloadRequestId: search.downloadRequestId,
			search,
			requestMs: now(),
			durationMs: config.exportDurationMs,
			failing: exportsToFail > 0,
			fileName: `crm-export-${brand.toLowerCase()}-${asyncTaskId}.csv`,
			filePath: path.join(dataDir, `${asyncTaskId}.csv`),
			fileReady: false,
			writeError: null,
			totalResults: null,
		};
		if (task.failing) exportsToFail--;
		tasks.set(asyncTaskId, task);
		taskIdByRequest.set(requestKey, asyncTaskId);
		const filter = buildCustomerFilter(search);
		if (task.failing) {
			setImmediate(() => {
				task.totalResults = countMatches(filter, brand);
			});
		} else {
			task.writing = writeFile(task, filter, brand);
		}
		return { task, created: true };
	}

	function statusOf(task) {
		const elapsed = now() - task.requestMs;
		const duration = task.durationMs;
		if (elapsed < duration * 0.1) return { status: 'REQ', percentage: 0 };
		const finished = task.failing ? task.totalResults !== null : task.fileReady || task.writeError !== null;
		if (elapsed < duration || !finished) {
			return { status: 'INP', percentage: Math.max(1, Math.min(99, Math.floor((elapsed / Math.max(duration, 1)) * 100))) };
		}
		if (task.failing || task.writeError) return { status: 'ERR', percentage: 100 };
		return { status: 'COM', percentage: 100 };
	}

	function signPath(pathname, expires) {
		return crypto.createHmac('sha256', signingSecret).update(`GET\n${pathname}\n${expires}`).digest('hex');
	}

	function signedPathOf(task) {
		return `/files/${task.asyncTaskId}/${task.fileName}`;
	}

	/** The Task DTO as the account sees it now; signed URLs get a fresh expiry on every read. */
	function view(task, baseUrl) {
		const { status, percentage } = statusOf(task);
		const dto = {
			asyncTaskId: task.asyncTaskId,
			type: 'crm',
			requestDate: new Date(task.requestMs).toISOString(),
			status,
			percentage,
			brand: task.brand,
			downloadUrl: null,
			signedDownloadUrl: null,
			totalResults: null,
			totalSucceeded: null,
			totalFailed: null,
		};
		if (status === 'COM') {
			const expires = Math.floor(now() / 1000) + Math.round(config.signedUrlTtlSeconds);
			const pathname = signedPathOf(task);
			dto.downloadUrl = `${baseUrl}/tasks/${task.asyncTaskId}/file`;
			dto.signedDownloadUrl = `${baseUrl}${pathname}?expires=${expires}&signature=${signPath(pathname, expires)}`;
			Object.assign(dto, { totalResults: task.totalResults, totalSucceeded: task.totalResults, totalFailed: 0 });
		} else if (status === 'ERR') {
			Object.assign(dto, { totalResults: task.totalResults, totalSucceeded: 0, totalFailed: task.totalResults });
		}
		return dto;
	}

	/** Checks a signed download; returns the task or a reason string for the 403. */
	function verifySignedDownload(pathname, searchParams) {
		const expires = searchParams.get('expires');
		const signature = searchParams.get('signature');
		if (!expires || !signature) return { reason: 'Query-string authentication requires the expires and signature parameters' };
		const expected = signPath(pathname, expires);
		if (!/^[0-9a-f]{64}$/.test(signature) || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
			return { reason: 'The request signature we calculated does not match the signature you provided', code: 'SignatureDoesNotMatch' };
		}
		if (!/^\d+$/.test(expires) || Number(expires) * 1000 < now()) return { reason: 'Request has expired' };
		const task = [...tasks.values()].find((candidate) => signedPathOf(candidate) === pathname);
		if (!task || statusOf(task).status !== 'COM') return { reason: 'The specified key does not exist', code: 'NoSuchKey', status: 404 };
		return { task };
	}

	return {
		tasks,
		create,
		view,
		statusOf,
		verifySignedDownload,
		tasksOf: (account) => [...tasks.values()].filter((task) => task.accountName === account.name).sort((a, b) => b.requestMs - a.requestMs),
		find: (account, asyncTaskId) => {
			const task = tasks.get(asyncTaskId);
			return task && task.accountName === account.name ? task : null;
		},
		failNextExports(count = 1) {
			exportsToFail += count;
			return exportsToFail;
		},
		pendingFailures: () => exportsToFail,
		whenWritten: async () => {
			await Promise.all([...tasks.values()].map((task) => task.writing));
		},
	};
}

module.exports = { createExportService, CSV_COLUMNS, csvLine };
