import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';
import { noMutualImport } from './eslint/no-mutual-import.mjs';

/** Where an import lands, for the layering rules (decision 0007). First match wins. */
const ELEMENTS = [
  { type: 'app', pattern: 'apps/*', capture: ['app'], partialMatch: false },
  { type: 'config', pattern: 'libs/config', partialMatch: false },
  { type: 'database', pattern: 'libs/database', partialMatch: false },
  // A bounded context: libs/core/src/<context>/**. Before core-root, so a context's files are its own.
  { type: 'context', pattern: 'libs/core/src/*', capture: ['context'], partialMatch: false },
  // Files directly in libs/core/src (an entities.ts listing every context's entities).
  { type: 'core-root', pattern: 'libs/core/src', partialMatch: false },
];

const CORE = ['context', 'core-root'];

/** tsconfig.json's paths, for the plugins' resolvers and our own rule's. */
const resolver = createTypeScriptImportResolver({ project: `${import.meta.dirname}/tsconfig.json` });
const layering = { rules: { 'no-mutual-import': noMutualImport(resolver) } };
const LIBS = ['config', 'database', ...CORE];

/**
 * Layering rules a-e (decision 0007). Default allow; the last policy that matches an import decides
 * (and names the rule in its message). Imports within one element (one app, one lib, one context)
 * are internal and never checked, so a context's own files, specs included, import each other freely.
 */
const LAYERING = [
  {
    from: { element: { type: 'app' } },
    disallow: { to: { element: { type: 'app' } } },
    message: '(a) {{from.element.path}} imports {{to.element.path}}: no app imports another app',
  },
  {
    from: { element: { type: 'app', captured: { app: 'standalone' } } },
    allow: { to: { element: { type: 'app', captured: { app: ['api', 'worker'] } } } },
  },
  {
    from: { element: { type: LIBS } },
    disallow: { to: { element: { type: 'app' } } },
    message: '(d) {{from.element.path}} imports {{to.element.path}}: libs import nothing from apps',
  },
  {
    from: { element: { type: 'database' } },
    disallow: { to: { element: { type: CORE } } },
    message: '(b) libs/database imports {{to.element.path}}: libs/database imports nothing from libs/core',
  },
  {
    from: { element: { type: 'config' } },
    disallow: { to: { element: { type: ['database', ...CORE, 'app'] } } },
    message:
      '(c) libs/config imports {{to.element.path}}: libs/config imports nothing from libs/core, libs/database or apps',
  },
  {
    from: { element: { type: ['app', ...CORE] } },
    disallow: { to: { element: { type: 'context', fileInternalPath: '!index.ts' } } },
    message:
      '(e) {{from.element.path}} imports {{to.element.path}}/{{to.element.fileInternalPath}}: from outside a context, import only its index.ts',
  },
];

export default tseslint.config(
  // *.lint-fixture.ts: files test/lint/boundaries.spec.ts writes and removes; a killed run may leave some.
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.modelpulse/**',
      '.modelpulse-bench/**',
      '**/*.lint-fixture.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Layering (decision 0007): apps/ and libs/ only; test/, bench/ and migrations/ are exempt.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    plugins: { boundaries, 'import-x': importX, layering },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': ELEMENTS,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      'boundaries/legacy-templates': false,
      // Both plugins resolve with eslint-import-resolver-typescript, so tsconfig.json's paths apply:
      // boundaries through eslint-module-utils (`import/resolver`), import-x through its own interface.
      'import/resolver': { typescript: { project: `${import.meta.dirname}/tsconfig.json` } },
      'import-x/resolver-next': [resolver],
      // import-x reads imported files only of these extensions (its default is .js alone), with this parser.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: LAYERING }],
      // (f) Cycles of any length; the rule skips type-only imports (they vanish at run time). Packages
      // are not walked (a cycle through node_modules is none of ours, and walking their .d.ts is slow).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // (f) Two files that import each other, type-only imports included: our own rule, since
      // no-cycle cannot count those.
      'layering/no-mutual-import': 'error',
    },
  },
  {
    // Files that do one thing: no source file of apps/ or libs/ over 400 lines (tests aside).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'request.**.expect', '**.expect', 'problem'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
