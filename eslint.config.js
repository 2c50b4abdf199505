// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layers of DESIGN.md §1, enforced here rather than hoped for:
 * - src-shared is pure: no node:*, no Node built-ins, no electron, no main, no renderer.
 * - only src-main/electron may import electron; core never reaches headless or electron.
 * - the renderer imports only src-shared and itself.
 */
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'url',
  'util',
  'events',
  'stream',
  'worker_threads',
];
const noElectron = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };
const toMain = { group: ['**/src-main/**', '../src-main/*'], message: 'This layer may not import src-main.' };
const toRenderer = { group: ['**/src-renderer/**'], message: 'This layer may not import src-renderer.' };
const toNode = { group: ['node:*'], message: 'This layer must run without Node.' };

export const layerRules = [
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'src-shared must stay pure.' }))],
          patterns: [toMain, toRenderer, toNode],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [toRenderer, { group: ['electron/*'], message: noElectron.message }],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            toRenderer,
            { group: ['electron/*'], message: noElectron.message },
            { group: ['**/headless/**', '**/electron/**'], message: 'core must not depend on its shells.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' }))],
          patterns: [toMain, toNode],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'resources/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.main.json', './tsconfig.renderer.json', './tsconfig.shared.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.es2022 },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  { files: ['src-main/**', 'tests/**', 'scripts/**', '*.config.*'], languageOptions: { globals: { ...globals.node } } },
  { files: ['src-renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  ...layerRules,
);
