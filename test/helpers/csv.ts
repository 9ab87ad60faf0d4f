/** RFC 4180 CSV (the sandbox's export files) as one record per row, keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
	const rows: string[][] = [];
	let field = '';
	let row: string[] = [];
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (quoted) {
			if (character === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (character === '"') quoted = false;
			else field += character;
		} else if (character === '"') quoted = true;
		else if (character === ',') {
			row.push(field);
			field = '';
		} else if (character === '\n') {
			row.push(field.replace(/\r$/, ''));
			rows.push(row);
			row = [];
			field = '';
		} else field += character;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	const [header, ...body] = rows;
	return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index]])));
}
