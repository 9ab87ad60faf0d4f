#!/usr/bin/env node
'use strict';
// package.json's `version` script: `npm version <patch|minor|major> --ignore-scripts=false` runs it
// after the bump and before its commit. CHANGELOG.md's "## [Unreleased]" notes become the new
// version's section, dated today, under a new empty "## [Unreleased]", and the file joins the
// version commit. A release with no notes is refused.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const UNRELEASED = '## [Unreleased]';

/** The changelog with the Unreleased notes released as `version` on `date` (YYYY-MM-DD). */
function releaseChangelog(text, version, date) {
	const start = text.indexOf(`${UNRELEASED}\n`);
	if (start < 0) throw new Error(`CHANGELOG.md has no "${UNRELEASED}" section`);
	if (text.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
	const bodyStart = start + UNRELEASED.length + 1;
	const next = text.indexOf('\n## [', bodyStart);
	const notes = text.slice(bodyStart, next < 0 ? text.length : next + 1);
	if (notes.trim() === '') throw new Error(`nothing under "${UNRELEASED}" in CHANGELOG.md: write the notes of ${version} first`);
	return `${text.slice(0, start)}${UNRELEASED}\n\n## [${version}] - ${date}\n${notes}${next < 0 ? '' : text.slice(next + 1)}`;
}

module.exports = { releaseChangelog };

if (require.main === module) {
	const version = process.env.npm_package_version;
	if (!version) {
		console.error('run through `npm version <patch|minor|major> --ignore-scripts=false`');
		process.exit(2);
	}
	const file = path.resolve(__dirname, '..', '..', 'CHANGELOG.md');
	const today = new Date().toISOString().slice(0, 10);
	fs.writeFileSync(file, releaseChangelog(fs.readFileSync(file, 'utf8'), version, today));
	execFileSync('git', ['add', file]);
	console.log(`CHANGELOG.md: the Unreleased notes are now ${version} (${today})`);
}
