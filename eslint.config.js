// @ts-check
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { defineConfig } from 'eslint/config'

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'))

/** Node built-ins, bare ("fs", "fs/promises") and prefixed ("node:fs"). */
const nodeBuiltinPaths = (message, allowed = []) =>
  nodeBuiltins.filter((name) => !allowed.includes(name)).map((name) => ({ name, message }))

const CORE_MESSAGE =
  'main/core stays Electron-free so it runs under plain Node and vitest; wire Electron in main/shell.'
const NO_ELECTRON_MESSAGE =
  'Only main/shell and main/index.ts load Electron: this code also runs in browser mode, the command line and the tests.'

/** A restricted-import entry for the electron module itself. */
const electronPath = (message) => ({ name: 'electron', message })

const RENDERER_MESSAGE =
  'The renderer is a sandboxed web page: it talks to the main process only through window.purchaseSender.'

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'dist-packaged-test/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // Picks the nearest tsconfig.json: the root one, or renderer/tsconfig.json.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A light slice of the type-aware rules: the async mistakes that silently lose errors.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: RENDERER_MESSAGE },
            { name: 'better-sqlite3', message: RENDERER_MESSAGE },
            { name: 'mysql2', message: RENDERER_MESSAGE },
            { name: 'got', message: RENDERER_MESSAGE },
            ...nodeBuiltinPaths(RENDERER_MESSAGE),
          ],
          patterns: [
            {
              group: ['node:*', 'electron/*', 'better-sqlite3/*', 'mysql2/*', 'got/*'],
              message: RENDERER_MESSAGE,
            },
          ],
        },
      ],
    },
  },
  // The boundaries the README states: the core is plain Node, knows nothing of the entry points,
  // and only the Electron shell loads Electron.
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(CORE_MESSAGE)],
          patterns: [
            { group: ['electron/*'], message: CORE_MESSAGE },
            {
              group: ['**/app/**', '**/cli/**', '**/web/**', '**/shell/**', '**/preload/**'],
              message:
                'main/core is the innermost layer: it imports nothing from the application layer, the entry points or the shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/app/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(NO_ELECTRON_MESSAGE)],
          patterns: [
            { group: ['electron/*'], message: NO_ELECTRON_MESSAGE },
            {
              group: ['**/shell/**', '**/web/**'],
              message: 'The application layer and the command line do not depend on a host.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPath(NO_ELECTRON_MESSAGE)],
          patterns: [
            { group: ['electron/*'], message: NO_ELECTRON_MESSAGE },
            {
              group: ['**/shell/**'],
              message: 'Browser mode runs on plain Node: it never imports the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  {
    // A sandboxed preload can load only electron and a few polyfilled built-ins at runtime.
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths('Sandboxed preloads cannot load Node built-ins.', [
            'events',
            'timers',
            'url',
          ]),
          patterns: [
            {
              group: ['node:*', '!node:events', '!node:timers', '!node:url'],
              message: 'Sandboxed preloads cannot load Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)
