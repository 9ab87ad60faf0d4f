'use strict';
// The benchmark's headline comparisons as a standalone SVG bar chart (no dependencies): one panel
// per group, stacked vertically, each with its own linear scale from 0 to 1.1 × the largest bar or
// mark; horizontal bars, label left, formatted value at the bar's end; marks (physical limit, CPU
// floor, ...) as dashed vertical lines labelled at the top. Meant to be embedded in the README
// (GitHub shows it as an image, on a light or dark page: the chart has its own white background).
// Deterministic: no dates, no randomness, no locale-dependent formatting.
//
// renderChart(groups, { title, subtitle, legend: { booster, alternative, mark, failed }, width })
//   groups: [{ title, unit: 's' | 'MB' | ..., note?, decimals?,
//              bars: [{ label, value, kind: 'booster' | 'alternative', text? }],
//              marks?: [{ label, value }] }]
//   A bar whose value is null / NaN / ±Infinity is drawn as a hatched stub with its `text` or
//   "did not complete"; a bar with a value and a `text` shows "value · text".

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif";
const COLOURS = {
	booster: '#d4145a',
	alternative: '#9ca3af',
	mark: '#374151',
	text: '#1f2328',
	muted: '#57606a',
	panel: '#f6f8fa',
	panelBorder: '#d8dee4',
	axis: '#8c959f',
	background: '#ffffff',
};
const SIZE = { title: 18, subtitle: 12.5, legend: 12.5, groupTitle: 14, label: 13, value: 12.5, mark: 12, note: 12 };
const BAR_HEIGHT = 18;
const ROW_GAP = 10;
const PAD = 20; // outer margin
const PANEL_PAD = 14; // inside a panel
const PANEL_GAP = 14; // between panels
const LABEL_MIN = 110;
const LABEL_MAX = 300;

/** Text for XML content and attribute values; drops the control characters XML 1.0 forbids. */
function escapeXml(text) {
	return String(text)
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

const isValue = (v) => typeof v === 'number' && Number.isFinite(v);

/** "1,170" whatever the machine's locale. */
function groupThousands(digits) {
	const [int, frac] = digits.split('.');
	const sign = int.startsWith('-') ? '-' : '';
	const body = sign ? int.slice(1) : int;
	const grouped = body.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return sign + grouped + (frac === undefined ? '' : `.${frac}`);
}

/**
 * A value with its unit: three significant digits (at least the integer part), trailing zeros of
 * the decimals dropped, thousands grouped: 9.12 s, 26.3 s, 67 MB, 1,170 MB. `decimals` fixes the
 * number of decimals instead.
 */
function formatValue(value, unit, decimals) {
	if (!isValue(value)) return '';
	let digits;
	if (Number.isInteger(decimals) && decimals >= 0) {
		digits = value.toFixed(decimals);
	} else {
		const magnitude = Math.abs(value) < 1 ? 0 : Math.floor(Math.log10(Math.abs(value))) + 1;
		digits = value.toFixed(Math.min(Math.max(3 - magnitude, 0), 6));
		if (digits.includes('.')) digits = digits.replace(/\.?0+$/, '');
	}
	if (/^-0(\.0*)?$/.test(digits)) digits = digits.slice(1);
	const number = groupThousands(digits);
	return unit ? `${number} ${unit}` : number;
}

// Approximate advance widths in em (Helvetica / Arial metrics), with a margin for wider system
// fonts (San Francisco, Segoe UI): used to lay out, never to cut, text.
const NARROW = new Set("ijl.,:;'|!I ");
const SEMI = new Set('ftr()[]{}-/\\"*');
const WIDE_LOWER = new Set('mw');
const WIDE_UPPER = new Set('MW@%');
function charWidth(ch) {
	if (NARROW.has(ch)) return 0.28;
	if (SEMI.has(ch)) return 0.35;
	if (WIDE_LOWER.has(ch)) return 0.84;
	if (WIDE_UPPER.has(ch)) return 0.9;
	if (ch >= '0' && ch <= '9') return 0.56;
	if (ch >= 'a' && ch <= 'z') return 0.54;
	if (ch >= 'A' && ch <= 'Z') return 0.68;
	if (ch === '→' || ch === '—' || ch === '…') return 1;
	if (ch === '×' || ch === '–' || ch === '≤' || ch === '≥' || ch === '·') return 0.58;
	return 0.62;
}
function textWidth(text, size, bold) {
	let em = 0;
	for (const ch of String(text)) em += charWidth(ch);
	return em * size * (bold ? 1.1 : 1.05);
}

/** Words of `text` in lines no wider than `max` (a word wider than `max` gets a line of its own). */
function wrap(text, size, max, bold) {
	const words = String(text).split(/\s+/).filter(Boolean);
	const lines = [];
	let line = '';
	for (const word of words) {
		const candidate = line ? `${line} ${word}` : word;
		if (line && textWidth(candidate, size, bold) > max) {
			lines.push(line);
			line = word;
		} else {
			line = candidate;
		}
	}
	if (line || lines.length === 0) lines.push(line);
	return lines;
}

/** Coordinates with at most one decimal, never "-0". */
function n(v) {
	const r = Math.round(v * 10) / 10;
	return String(r === 0 ? 0 : r);
}

function attrs(map) {
	return Object.entries(map)
		.filter(([, v]) => v !== undefined && v !== null && v !== false)
		.map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : escapeXml(v)}"`)
		.join('');
}
const el = (name, map, content) => (content === undefined ? `<${name}${attrs(map)}/>` : `<${name}${attrs(map)}>${content}</${name}>`);
const text = (x, y, content, map = {}) => el('text', { x, y, ...map }, escapeXml(content));
/** A text on a patch of the panel's colour, so that a mark's line does not run through it. */
function backedText(x, y, content, size, map, estimatedWidth) {
	const left = map['text-anchor'] === 'end' ? x - estimatedWidth : x;
	const patch = el('rect', { x: left - 2, y: y - size + 1, width: estimatedWidth + 4, height: size + 3, fill: COLOURS.panel });
	return patch + text(x, y, content, { 'font-size': size, ...map });
}

function renderChart(groups, options = {}) {
	groups = Array.isArray(groups) ? groups : [];
	const width = isValue(options.width) && options.width >= 400 ? options.width : 820;
	const legendText = {
		booster: 'Booster',
		alternative: 'Alternative (n8n built-in nodes)',
		mark: 'Physical limit / floor',
		failed: 'Did not complete',
		...(options.legend || {}),
	};
	const inner = width - 2 * PAD;
	const out = [];
	let y = PAD;

	// Title and subtitle.
	if (options.title) {
		for (const line of wrap(options.title, SIZE.title, inner, true)) {
			y += SIZE.title + 4;
			out.push(text(PAD, y - 4, line, { 'font-size': SIZE.title, 'font-weight': 700, fill: COLOURS.text }));
		}
	}
	if (options.subtitle) {
		y += 2;
		for (const line of wrap(options.subtitle, SIZE.subtitle, inner)) {
			y += SIZE.subtitle + 5;
			out.push(text(PAD, y - 4, line, { 'font-size': SIZE.subtitle, fill: COLOURS.muted }));
		}
	}

	// Legend: only what the chart shows.
	const allBars = groups.flatMap((g) => (Array.isArray(g.bars) ? g.bars : []));
	const anyMark = groups.some((g) => Array.isArray(g.marks) && g.marks.some((m) => isValue(m.value)));
	const anyFailed = allBars.some((b) => !isValue(b.value));
	const legend = [];
	if (allBars.some((b) => b.kind === 'booster')) legend.push(['booster', legendText.booster]);
	if (allBars.some((b) => b.kind !== 'booster')) legend.push(['alternative', legendText.alternative]);
	if (anyMark) legend.push(['mark', legendText.mark]);
	if (anyFailed) legend.push(['failed', legendText.failed]);
	if (legend.length) {
		y += options.title || options.subtitle ? 12 : 0;
		let x = PAD;
		for (const [kind, label] of legend) {
			const itemWidth = 18 + textWidth(label, SIZE.legend) + 22;
			if (x > PAD && x + itemWidth > width - PAD) {
				x = PAD;
				y += 20;
			}
			const cy = y + 8;
			if (kind === 'mark') {
				out.push(el('line', { x1: x + 6, y1: cy - 7, x2: x + 6, y2: cy + 7, stroke: COLOURS.mark, 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
			} else if (kind === 'failed') {
				out.push(el('rect', { x, y: cy - 6, width: 12, height: 12, fill: 'url(#bench-chart-hatch)', stroke: COLOURS.axis, 'stroke-width': 0.75 }));
			} else {
				out.push(el('rect', { x, y: cy - 6, width: 12, height: 12, rx: 2, fill: COLOURS[kind] }));
			}
			out.push(text(x + 18, cy + 4.5, label, { 'font-size': SIZE.legend, fill: COLOURS.text }));
			x += itemWidth;
		}
		y += 16;
	}
	y += 14;

	// One label column and value gutter for every panel, so that the bars line up.
	const labelSize = SIZE.label;
	const longestLabel = Math.max(0, ...allBars.map((b) => textWidth(b.label ?? '', labelSize)));
	const labelColumn = Math.min(LABEL_MAX, Math.max(LABEL_MIN, longestLabel));
	const valueTexts = groups.flatMap((g) => (Array.isArray(g.bars) ? g.bars : []).filter((b) => isValue(b.value)).map((b) => formatValue(b.value, g.unit, g.decimals)));
	const gutter = Math.min(110, Math.max(40, ...valueTexts.map((t) => textWidth(t, SIZE.value) + 10)));
	const panelLeft = PAD;
	const panelRight = width - PAD;
	const x0 = panelLeft + PANEL_PAD + labelColumn + 10;
	const plotRight = panelRight - PANEL_PAD - gutter;
	const plotWidth = Math.max(50, plotRight - x0);
	const textRight = panelRight - PANEL_PAD; // nothing is written right of this

	groups.forEach((group) => {
		const bars = Array.isArray(group.bars) ? group.bars : [];
		const marks = (Array.isArray(group.marks) ? group.marks : []).filter((m) => isValue(m.value));
		const unit = group.unit || '';
		const values = [...bars.map((b) => b.value), ...marks.map((m) => m.value)].filter(isValue);
		const top = Math.max(0, ...values) * 1.1;
		const domain = top > 0 ? top : 1;
		const scale = (v) => (Math.max(0, v) / domain) * plotWidth;

		const panel = [];
		const panelTop = y;
		let py = panelTop + PANEL_PAD;

		// Title, and the note right-aligned on the same line when both fit, below it otherwise.
		const titleMax = panelRight - panelLeft - 2 * PANEL_PAD;
		const titleLines = wrap(group.title ?? '', SIZE.groupTitle, titleMax, true);
		const note = group.note ? String(group.note) : '';
		const noteWidth = note ? textWidth(note, SIZE.note) : 0;
		const lastTitleWidth = textWidth(titleLines[titleLines.length - 1], SIZE.groupTitle, true);
		titleLines.forEach((line) => {
			py += SIZE.groupTitle + 5;
			panel.push(text(panelLeft + PANEL_PAD, py - 4, line, { 'font-size': SIZE.groupTitle, 'font-weight': 700, fill: COLOURS.text }));
		});
		if (note) {
			if (lastTitleWidth + 24 + noteWidth > titleMax) py += SIZE.note + 5;
			panel.push(text(textRight, py - 4, note, { 'font-size': SIZE.note, 'font-style': 'italic', fill: COLOURS.muted, 'text-anchor': 'end' }));
		}
		py += 8;

		// Mark labels: centred on their line, or else ending or starting at it, kept inside the
		// panel; in a new row above the bars when none of these fits beside the labels already placed.
		const rows = [];
		const placed = marks
			.map((m) => ({ mark: m, x: x0 + scale(m.value), w: textWidth(m.label ?? '', SIZE.mark) }))
			.sort((a, b) => a.x - b.x || a.w - b.w)
			.map((p) => {
				const clamp = (left) => Math.max(x0 - 4, Math.min(left, textRight - p.w));
				const candidates = [clamp(p.x - p.w / 2), clamp(p.x - p.w + 8), clamp(p.x - 8)];
				const free = (row, left) => row.every((box) => left + p.w + 6 <= box.left || left >= box.right + 6);
				for (let row = 0; ; row++) {
					if (row === rows.length) rows.push([]);
					const left = candidates.find((c) => free(rows[row], c));
					if (left !== undefined) {
						rows[row].push({ left, right: left + p.w });
						return { ...p, left, row };
					}
				}
			});
		const markRowHeight = SIZE.mark + 4;
		const marksTop = py;
		py += rows.length * markRowHeight + (rows.length ? 4 : 0);

		// Bars.
		const barsTop = py;
		const barRects = [];
		const barTexts = [];
		if (bars.length === 0) {
			py += 4;
			panel.push(text(x0 + 8, py + 13, 'no data', { 'font-size': SIZE.value, 'font-style': 'italic', fill: COLOURS.muted }));
			py += BAR_HEIGHT + ROW_GAP;
		}
		bars.forEach((bar) => {
			const labelLines = wrap(bar.label ?? '', labelSize, labelColumn);
			const lineHeight = labelSize + 3;
			const rowHeight = Math.max(BAR_HEIGHT, labelLines.length * lineHeight);
			const rowTop = py;
			const barY = rowTop + (rowHeight - BAR_HEIGHT) / 2;
			const mid = barY + BAR_HEIGHT / 2;
			const firstBaseline = rowTop + (rowHeight - labelLines.length * lineHeight) / 2 + labelSize - 1 + 1.5;
			labelLines.forEach((line, i) => {
				panel.push(text(x0 - 10, firstBaseline + i * lineHeight, line, { 'font-size': labelSize, fill: COLOURS.text, 'text-anchor': 'end' }));
			});
			const kind = bar.kind === 'booster' ? 'booster' : 'alternative';
			if (isValue(bar.value)) {
				const w = scale(bar.value);
				barRects.push(el('rect', { class: `bar ${kind}`, x: x0, y: barY, width: w, height: BAR_HEIGHT, fill: COLOURS[kind] }));
				const valueText = formatValue(bar.value, unit, group.decimals);
				const full = bar.text ? `${valueText} · ${bar.text}` : valueText;
				const fullWidth = textWidth(full, SIZE.value, kind === 'booster');
				const end = x0 + w;
				let x = end + 6;
				let anchor = 'start';
				let fill = COLOURS.text;
				let inside = false;
				if (x + fullWidth > textRight) {
					if (fullWidth + 12 <= w) {
						// Does not fit after the bar: inside it, at its end.
						x = end - 6;
						anchor = 'end';
						inside = true;
						fill = kind === 'booster' ? '#ffffff' : COLOURS.text;
					} else {
						x = textRight;
						anchor = 'end';
					}
				}
				const valueMap = { class: 'value', 'font-weight': kind === 'booster' ? 700 : 400, fill, 'text-anchor': anchor === 'start' ? undefined : anchor };
				barTexts.push(inside ? text(x, mid + 4.5, full, { 'font-size': SIZE.value, ...valueMap }) : backedText(x, mid + 4.5, full, SIZE.value, valueMap, fullWidth));
			} else {
				barRects.push(el('rect', { class: `bar ${kind} failed`, x: x0, y: barY, width: 28, height: BAR_HEIGHT, fill: 'url(#bench-chart-hatch)', stroke: COLOURS.axis, 'stroke-width': 0.75 }));
				const failed = bar.text || 'did not complete';
				barTexts.push(backedText(x0 + 36, mid + 4.5, failed, SIZE.value, { class: 'value', 'font-style': 'italic', fill: COLOURS.muted }, textWidth(failed, SIZE.value)));
			}
			py += rowHeight + ROW_GAP;
		});
		py -= ROW_GAP;
		const barsBottom = py;

		// Axis at 0, bars, the marks' lines over the bars, then the texts over the lines (on a patch).
		panel.push(el('line', { x1: x0, y1: barsTop - 4, x2: x0, y2: barsBottom + 4, stroke: COLOURS.axis, 'stroke-width': 1 }));
		panel.push(...barRects);
		for (const p of placed) {
			const labelBaseline = marksTop + (p.row + 1) * markRowHeight - 4;
			panel.push(
				el('line', {
					class: 'mark',
					x1: p.x,
					y1: labelBaseline + 4,
					x2: p.x,
					y2: barsBottom + 4,
					stroke: COLOURS.mark,
					'stroke-width': 1.5,
					'stroke-dasharray': '4 3',
				}),
			);
		}
		panel.push(...barTexts);
		for (const p of placed) {
			const labelBaseline = marksTop + (p.row + 1) * markRowHeight - 4;
			panel.push(backedText(p.left, labelBaseline, p.mark.label ?? '', SIZE.mark, { class: 'mark-label', fill: COLOURS.mark }, p.w));
		}

		py += PANEL_PAD;
		out.push(el('rect', { x: panelLeft, y: panelTop, width: panelRight - panelLeft, height: py - panelTop, rx: 6, fill: COLOURS.panel, stroke: COLOURS.panelBorder, 'stroke-width': 1 }));
		out.push(...panel);
		y = py + PANEL_GAP;
	});
	const height = Math.ceil(y - (groups.length ? PANEL_GAP : 0) + PAD);

	const title = [options.title, options.subtitle].filter(Boolean).join(' — ') || 'Benchmark';
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="bench-chart-title">`,
		`<title id="bench-chart-title">${escapeXml(title)}</title>`,
		'<defs><pattern id="bench-chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
			`<rect width="6" height="6" fill="${COLOURS.background}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLOURS.axis}" stroke-width="2"/></pattern></defs>`,
		`<rect width="${width}" height="${height}" fill="${COLOURS.background}"/>`,
		`<g font-family="${escapeXml(FONT)}">`,
		...out,
		'</g>',
		'</svg>',
		'',
	].join('\n');
}

module.exports = { renderChart, formatValue, escapeXml };
