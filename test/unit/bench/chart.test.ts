/** The benchmark's SVG chart (test/bench/lib/chart.js). */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

type Bar = { label: string; value: number | null; kind: 'booster' | 'alternative'; text?: string };
type Group = { title: string; unit: string; bars: Bar[]; marks?: { label: string; value: number }[]; note?: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderChart, formatValue } = require('../../bench/lib/chart.js') as {
	renderChart: (groups: Group[], options?: { title?: string; subtitle?: string }) => string;
	formatValue: (value: number, unit: string) => string;
};

type Element = Record<string, unknown>;

/** Every element called `name`, anywhere in the parsed document. */
function elements(node: unknown, name: string): Element[] {
	if (Array.isArray(node)) return node.flatMap((child) => elements(child, name));
	if (!node || typeof node !== 'object') return [];
	return Object.entries(node as Element).flatMap(([key, value]) => [
		...(key === name ? (Array.isArray(value) ? value : [value]).filter((v): v is Element => !!v && typeof v === 'object') : []),
		...elements(value, name),
	]);
}

function parse(svg: string) {
	expect(XMLValidator.validate(svg)).toBe(true);
	const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false }).parse(svg);
	const texts = elements(doc, 'text').map((t) => String(t['#text'] ?? ''));
	const bars = elements(doc, 'rect').filter((r) => String(r.class ?? '').startsWith('bar '));
	const marks = elements(doc, 'line').filter((l) => l.class === 'mark');
	return { texts, bars, marks };
}

const groups: Group[] = [
	{
		title: 'Customers as items: 200,000 customers',
		unit: 's',
		note: 'lower is better',
		bars: [
			{ label: 'Booster Export → Customers', value: 9.12, kind: 'booster' },
			{ label: 'HTTP Request → Extract From File', value: 26.3, kind: 'alternative' },
		],
	},
	{
		title: 'Get KPI: 10,000 customers',
		unit: 's',
		bars: [
			{ label: 'Booster Get KPI', value: 36.5, kind: 'booster' },
			{ label: 'HTTP Request (batch 16 per 100 ms)', value: 68.2, kind: 'alternative' },
			{ label: 'HTTP Request (default)', value: null, kind: 'alternative' },
			{ label: 'HTTP Request (batch 16 per 50 ms)', value: Number.NaN, kind: 'alternative', text: '77 items failed' },
		],
		marks: [
			{ label: 'physical limit 31.25 s', value: 31.25 },
			{ label: 'CPU floor', value: 12 },
		],
	},
	{
		title: 'Memory growth',
		unit: 'MB',
		bars: [
			{ label: 'Booster Download File', value: 67, kind: 'booster' },
			{ label: 'HTTP Request', value: 1170, kind: 'alternative' },
		],
	},
];

describe('benchmark chart', () => {
	const svg = renderChart(groups, { title: 'Booster vs n8n', subtitle: 'npm run bench' });
	const { texts, bars, marks } = parse(svg);
	// The rects of the bars with a value, in the order of the input.
	const drawn = bars.filter((b) => !String(b.class).includes('failed'));
	const valued = groups.flatMap((g) => g.bars).filter((b) => b.value !== null && !Number.isNaN(b.value));
	const bar = (value: number) => drawn[valued.findIndex((b) => b.value === value)];

	it('is an SVG document showing every title, label and formatted value, without NaN', () => {
		expect(svg).toMatch(/^<\?xml[^>]*\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
		for (const expected of [
			'Booster vs n8n',
			'npm run bench',
			...groups.flatMap((g) => [g.title, ...g.bars.map((b) => b.label), ...(g.marks ?? []).map((m) => m.label)]),
			'lower is better',
			'9.12 s',
			'26.3 s',
			'36.5 s',
			'68.2 s',
			'67 MB',
			'1,170 MB',
		]) {
			expect(texts).toContain(expected);
		}
		expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
	});

	it('shows "did not complete", or the bar\'s own text, for a bar without a value', () => {
		expect(texts).toContain('did not complete');
		expect(texts).toContain('77 items failed');
		expect(bars.filter((b) => String(b.class).includes('failed'))).toHaveLength(2);
	});

	it('draws bars proportional to their values within a panel, each panel on its own scale', () => {
		const width = (value: number) => Number(bar(value).width);
		expect(width(9.12) / width(26.3)).toBeCloseTo(9.12 / 26.3, 2);
		expect(width(36.5) / width(68.2)).toBeCloseTo(36.5 / 68.2, 2);
		expect(width(67) / width(1170)).toBeCloseTo(67 / 1170, 2);
		// The largest bar of each panel reaches the same length (1 / 1.1 of its scale).
		expect(width(26.3)).toBeCloseTo(width(1170), 0);
		expect(width(26.3)).toBeCloseTo(width(68.2), 0);
	});

	it('puts each mark at the x of its value on its panel\'s scale', () => {
		const reference = bar(68.2);
		const xOf = (value: number) => Number(reference.x) + (Number(reference.width) * value) / 68.2;
		expect(marks).toHaveLength(2);
		for (const value of [31.25, 12]) {
			const line = marks.find((m) => Math.abs(Number(m.x1) - xOf(value)) < 0.3);
			expect(line).toBeDefined();
			expect(line!.x2).toBe(line!.x1);
		}
	});

	it('escapes &, <, > and quotes in every text', () => {
		const nasty = 'A & B <b>bold</b> "quoted" \'single\'';
		const out = renderChart([{ title: nasty, unit: '<u>', note: nasty, bars: [{ label: nasty, value: 1, kind: 'booster', text: nasty }], marks: [{ label: nasty, value: 0.5 }] }], {
			title: nasty,
			subtitle: nasty,
		});
		const { texts: shown } = parse(out);
		expect(out).not.toContain('<b>');
		expect(out).not.toContain('<u>');
		expect(out).toContain('A &amp; B &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot;');
		expect(shown.filter((t) => t === nasty).length).toBeGreaterThanOrEqual(4);
		expect(shown).toContain(`1 <u> · ${nasty}`);
	});

	it('formats values with their unit', () => {
		expect([formatValue(9.12, 's'), formatValue(9.1, 's'), formatValue(26.34, 's'), formatValue(67, 'MB'), formatValue(1170.4, 'MB'), formatValue(0.0123, 's')]).toEqual([
			'9.12 s',
			'9.1 s',
			'26.3 s',
			'67 MB',
			'1,170 MB',
			'0.012 s',
		]);
	});

	it('is deterministic', () => {
		const copy = groups.map((g) => ({ ...g, bars: g.bars.map((b) => ({ ...b })), marks: g.marks?.map((m) => ({ ...m })) }));
		expect(renderChart(copy, { title: 'Booster vs n8n', subtitle: 'npm run bench' })).toBe(svg);
	});
});
