'use strict';
// Formatting of the benchmark's tables.

const mb = (bytes) => (bytes == null || Number.isNaN(bytes) ? '–' : (bytes / 1048576).toFixed(1));
const s = (ms) => (ms == null || Number.isNaN(ms) ? '–' : (ms / 1000).toFixed(2));
const x = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
const met = (ok) => (ok ? 'met' : 'NOT met');

/** A Markdown table, columns padded to their widest cell. */
function table(headers, rows) {
	const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
	const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

module.exports = { mb, s, x, met, table };
