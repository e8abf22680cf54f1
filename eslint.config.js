// ESLint: typescript-eslint's and eslint-plugin-svelte's recommended rules, no formatting rules (Prettier formats).
// A rule is turned off only with its reason next to it.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-cli/',
      'dev-dist/',
      'test-results/',
      'playwright-report/',
      '.bench-cache/',
      'fixtures/',
      // AssemblyScript: its own types (u32, usize) and decorators; compiled and checked by asc.
      'src/engine/assembly/',
      'src/engine/build/',
    ],
  },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    // One tsconfig covers page, worker, Node and tests (ARCHITECTURE.md's import test keeps the rooms apart).
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // A leading underscore names a value kept on purpose: a rest pattern's omitted keys, a callback's unused argument.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // A function longer than this says why above it (an eslint-disable comment with its reason): a flat table, a
    // switch that mirrors a spec, one rule after another. A warning, so that a long function written while other
    // work is in flight shows up in `npm run check` without stopping it. Tests, and the engine's code generators
    // run by hand (src/engine/tools), are left out.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['**/*.test.ts', 'src/engine/tools/**'],
    rules: { 'max-lines-per-function': ['warn', { max: 80 }] },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // Off: state here holds a Map or Set in $state.raw and replaces it whole (copy on write: one update per page of
      // rows, no per-entry proxies); the other Maps are built in a function and handed over. SvelteMap would make
      // every cached page reactive for nothing.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
