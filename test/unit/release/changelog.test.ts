/** The `version` script that gives CHANGELOG.md's Unreleased notes their version (test/release/changelog.js). */
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { releaseChangelog } = require('../../release/changelog.js') as { releaseChangelog: (text: string, version: string, date: string) => string };

const changelog = ['# Changelog', '', 'Intro.', '', '## [Unreleased]', '', '### Added', '', '- Queue mode.', '', '## [0.1.0] - 2026-12-01', '', '### Added', '', '- Export.', ''].join('\n');

describe('releasing the changelog', () => {
	it('moves the Unreleased notes under the new version, dated, below a new empty Unreleased, and keeps the older versions', () => {
		expect(releaseChangelog(changelog, '0.2.0', '2026-12-02')).toBe(
			['# Changelog', '', 'Intro.', '', '## [Unreleased]', '', '## [0.2.0] - 2026-12-02', '', '### Added', '', '- Queue mode.', '', '## [0.1.0] - 2026-12-01', '', '### Added', '', '- Export.', ''].join('\n'),
		);
	});

	it('works when Unreleased is the only section', () => {
		const first = '# Changelog\n\n## [Unreleased]\n\n- First.\n';
		expect(releaseChangelog(first, '1.0.0', '2027-01-05')).toBe('# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2027-01-05\n\n- First.\n');
	});

	it('refuses a release without notes, a version already there, and a changelog without Unreleased', () => {
		const released = releaseChangelog(changelog, '0.2.0', '2026-12-02');
		expect(() => releaseChangelog(released, '0.3.0', '2026-12-03')).toThrow(/nothing under "## \[Unreleased\]"/);
		expect(() => releaseChangelog(changelog, '0.1.0', '2026-12-03')).toThrow(/already has a section for 0.1.0/);
		expect(() => releaseChangelog('# Changelog\n', '0.2.0', '2026-12-03')).toThrow(/no "## \[Unreleased\]" section/);
	});

	it("the project's CHANGELOG.md can be released as it stands", () => {
		const text = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'CHANGELOG.md'), 'utf8');
		const released = releaseChangelog(text, '99.0.0', '2026-12-02');
		expect(released).toContain('## [Unreleased]\n\n## [99.0.0] - 2026-12-02\n');
		expect(released.length).toBe(text.length + '\n## [99.0.0] - 2026-12-02\n'.length);
	});
});
