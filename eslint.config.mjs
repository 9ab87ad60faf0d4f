// n8n's community-node rule set, the same one n8n's package verification applies, over the
// published sources only (package.json, nodes/, credentials/).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', '.cache/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{ linterOptions: { reportUnusedDisableDirectives: 'error', noInlineConfig: true } },
];
