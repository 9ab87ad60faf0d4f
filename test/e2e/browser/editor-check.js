'use strict';
// Drives the n8n editor in headless Chromium over the Chrome DevTools Protocol, with no npm
// package: Node >= 22 has a global WebSocket (run it with the cached Node 24). Used by
// test/e2e/editor.e2e.test.ts; also runnable by hand:
//
//   <node24> test/e2e/browser/editor-check.js '<json config>'
//   config: { url, email, password, checks: [{ workflowId, nodeId, nodeName, labels: [...] }],
//             chromium?, screenshotDir?, timeoutMs? }
//   a check may also have: screenshot (file name, without .png), openNode: false (the canvas only),
//   scrollTo (a parameter's label: the panel is scrolled to it before the screenshot)
//
// For each check it opens the workflow, opens the node's parameter panel (NDV) and reports which
// labels are in the panel, the error notifications shown and the page's exceptions. Prints one
// JSON object on stdout: { ok, results: [...], exceptions, consoleErrors, failedRequests, loadOptions }.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const config = JSON.parse(process.argv[2] || fs.readFileSync(0, 'utf8'));
const CHROMIUM = config.chromium || process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const TIMEOUT = config.timeoutMs || 60000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(`[editor] ${line}\n`);

function launch() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-chromium-'));
	const args = [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--remote-debugging-port=0',
		`--user-data-dir=${profile}`,
		'--no-first-run',
		'--no-default-browser-check',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--disable-extensions',
		`--window-size=${config.windowSize || '1600,1000'}`,
		'about:blank',
	];
	const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
	const wsUrl = new Promise((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => reject(new Error(`no DevTools URL from ${CHROMIUM} within 30s:\n${buffer}`)), 30000);
		child.stderr.on('data', (d) => {
			buffer += d;
			const m = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.on('error', reject);
		child.on('exit', (code) => reject(new Error(`chromium exited (${code}):\n${buffer}`)));
	});
	const stop = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// gone
		}
		fs.rmSync(profile, { recursive: true, force: true });
	};
	return { wsUrl, stop };
}

/** A minimal CDP client: one browser WebSocket, flat sessions. */
function connect(url) {
	const ws = new WebSocket(url);
	let nextId = 1;
	const pending = new Map();
	const listeners = [];
	ws.onmessage = (event) => {
		const msg = JSON.parse(event.data);
		if (msg.id && pending.has(msg.id)) {
			const { resolve, reject, method } = pending.get(msg.id);
			pending.delete(msg.id);
			if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
			else resolve(msg.result);
		} else if (msg.method) {
			for (const l of listeners) l(msg);
		}
	};
	const send = (method, params = {}, sessionId) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject, method });
			ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
		});
	const opened = new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
	});
	return { opened, send, on: (fn) => listeners.push(fn), close: () => ws.close() };
}

async function main() {
	const browser = launch();
	const report = { ok: false, results: [], exceptions: [], consoleErrors: [], failedRequests: [], loadOptions: [] };
	try {
		const cdp = connect(await browser.wsUrl);
		await cdp.opened;
		const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
		const page = (method, params) => cdp.send(method, params, sessionId);
		const requests = new Map();
		cdp.on((msg) => {
			if (msg.sessionId !== sessionId) return;
			const p = msg.params;
			if (msg.method === 'Page.javascriptDialogOpening') {
				// "leave the page?" when moving to the next workflow: nothing here is to be saved
				cdp.send('Page.handleJavaScriptDialog', { accept: true }, sessionId).catch(() => undefined);
			} else if (msg.method === 'Runtime.exceptionThrown') {
				report.exceptions.push(p.exceptionDetails.exception?.description || p.exceptionDetails.text);
			} else if (msg.method === 'Runtime.consoleAPICalled' && p.type === 'error') {
				report.consoleErrors.push(p.args.map((a) => a.value ?? a.description ?? '').join(' ').slice(0, 500));
			} else if (msg.method === 'Network.requestWillBeSent') {
				requests.set(p.requestId, { url: p.request.url, method: p.request.method });
			} else if (msg.method === 'Network.responseReceived') {
				const req = requests.get(p.requestId) || { url: p.response.url };
				if (req.url.startsWith(config.url) && p.response.status >= 400) {
					report.failedRequests.push(`${req.method} ${req.url.slice(config.url.length)} ${p.response.status}`);
				}
				if (/dynamic-node-parameters\/options/.test(req.url)) report.loadOptions.push({ url: req.url.slice(config.url.length), status: p.response.status, requestId: p.requestId });
			}
		});
		await page('Page.enable');
		await page('Runtime.enable');
		await page('Network.enable');

		const evaluate = async (expression) => {
			const r = await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
			if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
			return r.result.value;
		};
		const waitFor = async (expression, what, timeoutMs = TIMEOUT) => {
			const started = Date.now();
			for (;;) {
				const value = await evaluate(expression).catch(() => undefined);
				if (value) return value;
				if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
				await sleep(250);
			}
		};
		const navigate = async (url) => {
			await page('Page.navigate', { url });
		};
		const screenshot = async (name) => {
			if (!config.screenshotDir) return;
			const { data } = await page('Page.captureScreenshot', { format: 'png' });
			fs.mkdirSync(config.screenshotDir, { recursive: true });
			fs.writeFileSync(path.join(config.screenshotDir, `${name}.png`), Buffer.from(data, 'base64'));
		};
		const typeInto = async (selector, text) => {
			await evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); el.focus(); el.select && el.select(); return true; })()`);
			await page('Input.insertText', { text });
		};
		const notifications = () =>
			evaluate(`[...document.querySelectorAll('.el-notification')].map((n) => ({ type: [...n.classList].join(' ') + ' ' + (n.querySelector('.el-notification__icon')?.className || ''), text: n.innerText.trim() }))`);

		// --- log in through the sign-in form
		log(`signing in at ${config.url}/signin`);
		// Right after start-up n8n can serve the editor before its back end answers it, and the page
		// then never shows the form: load it again until the form appears.
		const signInStarted = Date.now();
		for (;;) {
			await navigate(`${config.url}/signin`);
			const shown = await waitFor(`!!document.querySelector('input[type=password]')`, 'the sign-in form', 15000).catch(() => false);
			if (shown) break;
			if (Date.now() - signInStarted > TIMEOUT) throw new Error('timed out waiting for the sign-in form');
			log('no sign-in form yet, loading the page again');
		}
		await typeInto('input[name=emailOrLdapLoginId], input[name=email], input[type=email]', config.email);
		await typeInto('input[type=password]', config.password);
		await evaluate(`(() => { const b = document.querySelector('[data-test-id="form-submit-button"]') || [...document.querySelectorAll('button')].find((x) => /sign in/i.test(x.innerText)); b.click(); return true; })()`);
		await waitFor(`!location.pathname.startsWith('/signin') && !document.querySelector('input[type=password]')`, 'leaving the sign-in page');
		log(`signed in, now at ${await evaluate('location.pathname')}`);
		report.signedIn = true;
		report.failedRequests.length = 0; // the sign-in page's GET /rest/login 401 is expected

		// --- every check: open the workflow, open the node, read its parameter panel
		for (const check of config.checks) {
			const result = { ...check, found: [], missing: [], errorNotifications: [], issues: [] };
			report.results.push(result);
			const loadOptionsBefore = report.loadOptions.length;
			await navigate(`${config.url}/workflow/${check.workflowId}`);
			await waitFor(
				`[...document.querySelectorAll('[data-test-id="canvas-node"]')].some((n) => n.getAttribute('data-node-name') === ${JSON.stringify(check.nodeName)})`,
				`node "${check.nodeName}" on the canvas of ${check.workflowId}`,
			);
			if (check.openNode === false) {
				await sleep(1500); // the canvas fits the view after the nodes appear
				await screenshot(check.screenshot || check.workflowId);
				log(`${check.workflowId}: canvas`);
				continue;
			}
			// double-click the node, as a user opens it
			const box = await evaluate(`(() => {
				const n = [...document.querySelectorAll('[data-test-id="canvas-node"]')].find((x) => x.getAttribute('data-node-name') === ${JSON.stringify(check.nodeName)});
				const target = n.querySelector('[data-test-id="canvas-default-node"], [data-test-id="canvas-trigger-node"]') || n;
				const r = target.getBoundingClientRect();
				return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
			})()`);
			for (const type of ['mousePressed', 'mouseReleased']) await page('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
			for (const type of ['mousePressed', 'mouseReleased']) await page('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 2 });
			const ndv = `document.querySelector('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="ndv-modal"]')`;
			await waitFor(`!!${ndv} && ${ndv}.innerText.includes(${JSON.stringify(check.labels[0])})`, `the parameter panel of "${check.nodeName}"`);
			// the last label rendered too (panels render top-down), then let option loading settle
			await waitFor(
				`${JSON.stringify(check.labels)}.every((l) => ${ndv}.innerText.includes(l))`,
				`all parameter labels of "${check.nodeName}"`,
				15000,
			).catch(() => undefined);
			if (check.waitForLoadOptions) {
				await waitFor(`${report.loadOptions.length > loadOptionsBefore}`, 'n/a', 1).catch(() => undefined);
				const started = Date.now();
				while (report.loadOptions.length === loadOptionsBefore && Date.now() - started < 20000) await sleep(250);
			}
			await sleep(500);
			const text = await evaluate(`${ndv}.innerText`);
			for (const label of check.labels) (text.includes(label) ? result.found : result.missing).push(label);
			result.issues = await evaluate(
				`[...${ndv}.querySelectorAll('[data-test-id="parameter-issues"], .parameter-issues')].map((n) => n.getAttribute('title') || n.innerText || 'issue icon')`,
			);
			result.errorNotifications = (await notifications()).filter((n) => /error/i.test(n.type));
			result.loadOptions = report.loadOptions.slice(loadOptionsBefore).map(({ url, status }) => ({ url, status }));
			if (check.posOptions) {
				// open the POS codes dropdown and read the options n8n loaded from the sandbox
				result.posOptionsShown = await evaluate(`(() => {
					const item = [...${ndv}.querySelectorAll('[data-test-id="parameter-item"], .parameter-item')].find((n) => n.innerText.includes('POS Codes'));
					return item ? item.innerText : null;
				})()`);
			}
			if (check.scrollTo) {
				// the picture shows the panel from this parameter down
				await evaluate(`(() => {
					const item = [...${ndv}.querySelectorAll('[data-test-id="parameter-item"], .parameter-item')].find((n) => n.innerText.trim().startsWith(${JSON.stringify(check.scrollTo)}));
					if (item) item.scrollIntoView({ block: 'start' });
					return !!item;
				})()`);
				await sleep(300);
			}
			await screenshot(check.screenshot || `${check.workflowId}-${check.nodeName.replace(/\W+/g, '_')}`);
			log(`${check.nodeName}: ${result.found.length}/${check.labels.length} labels, missing [${result.missing.join(', ')}]`);
			await page('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
			await page('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
		}
		report.ok = true;
	} catch (error) {
		report.error = error.stack || String(error);
	} finally {
		browser.stop();
	}
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
	process.stdout.write(`${JSON.stringify({ ok: false, error: String(error.stack || error) })}\n`);
	process.exitCode = 1;
});
