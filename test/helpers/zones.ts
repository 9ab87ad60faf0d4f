/**
 * Days and wall-clock times of a time zone, for expectations: what the node should send for a date
 * picked in the editor (a time of the workflow's zone, sent as a UTC instant) and which day of that
 * zone a customer's date falls on. Written apart from the node's own conversion
 * (nodes/Booster/helpers/inputs.ts), so that a mistake there is not repeated here.
 */

/** The calendar day (YYYY-MM-DD) of `instant` in `timeZone`. */
export function dayIn(timeZone: string, instant: string | Date): string {
	// sv-SE writes dates as YYYY-MM-DD.
	return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The wall-clock time (YYYY-MM-DD HH:mm:ss) of `instant` in `timeZone`. */
function wallClockIn(timeZone: string, instant: number): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	}).format(new Date(instant));
}

/**
 * The UTC instant (YYYY-MM-DDTHH:mm:ss.sssZ) that a wall-clock time (YYYY-MM-DDTHH:mm:ss.sss) of
 * `timeZone` stands for: tries every offset a zone can have (−12 h to +14 h, by quarter hours).
 * A time that does not exist or exists twice (a change of daylight saving time) is refused: pick
 * another for the test.
 */
export function utcOf(wallTime: string, timeZone: string): string {
	const asUtc = Date.parse(`${wallTime}Z`);
	if (Number.isNaN(asUtc)) throw new Error(`not a wall-clock time: ${wallTime}`);
	const wanted = wallTime.slice(0, 19).replace('T', ' ');
	const found = new Set<number>();
	for (let quarters = -48; quarters <= 56; quarters++) {
		const candidate = asUtc - quarters * 15 * 60_000;
		if (wallClockIn(timeZone, candidate) === wanted) found.add(candidate);
	}
	if (found.size !== 1) throw new Error(`${wallTime} is ${found.size === 0 ? 'no' : 'more than one'} time of ${timeZone}`);
	return new Date([...found][0]).toISOString();
}

/** What the node sends for day `day` (YYYY-MM-DD) of `timeZone`: its first moment as a range's From, its last as a To. */
export function dayBounds(day: string, timeZone: string): { from: string; to: string } {
	return { from: utcOf(`${day}T00:00:00.000`, timeZone), to: utcOf(`${day}T23:59:59.999`, timeZone) };
}
