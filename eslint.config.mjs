// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Each block below sets the whole no-restricted-imports rule for its files (a later block replaces an
// earlier one, it does not add to it), so every block repeats the rules that still hold there.
const AXIOS = { name: 'axios', message: 'Only src/codat/ may import axios.' };
const IOREDIS = { name: 'ioredis', message: 'Only src/shared-state/ may import ioredis.' };
const HTTP_EDGE = {
  regex: '^(\\.{1,2}/)+(.*/)?http/',
  message:
    'src/http/ (the HTTP edge) is wired by the composition root only (src/app.ts; src/index.ts may too); nothing below it imports the edge.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/__generated__/', 'web/src/__generated__/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    // Plain Node scripts that run before anything is compiled (npm start's prestart, npm run dev).
    files: ['scripts/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
      // Layering (README, "Development"): only src/codat talks HTTP through axios.
      'no-restricted-imports': ['error', { paths: [AXIOS, IOREDIS] }],
    },
  },
  {
    // The web UI (web/, bundled by Vite for the browser): React's rules of hooks, and nothing from the
    // server's src/ (the page talks to the server over HTTP only).
    files: ['web/**/*.{ts,tsx,mts}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [AXIOS],
          patterns: [{ regex: '^(\\.\\./)+src/', message: 'web/ talks to the server over HTTP; it imports nothing from src/.' }],
        },
      ],
    },
  },
  {
    // The HTTP edge sits on top: only the composition root reaches it (tests and scripts may).
    files: ['src/**/*.ts'],
    ignores: ['src/app.ts', 'src/index.ts', 'src/http/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [AXIOS, IOREDIS], patterns: [HTTP_EDGE] }] },
  },
  {
    // The edge knows node:http and Apollo's HTTP types, not our schema, resolvers or Codat: whatever
    // runs behind a route is handed to it by the composition root.
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [AXIOS, IOREDIS],
          patterns: [
            {
              regex: '^\\.\\./(?!lib/|observability/)',
              message: 'src/http/ imports only src/lib/ and src/observability/ from the rest of src/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The GraphQL layers below the server (resolvers and their types, scalars, limits) never reach up to
    // what assembles them: the per-request context they need is declared beside them
    // (src/sync/sync.context.ts) and satisfied by src/context.ts.
    files: ['src/sync/**/*.ts', 'src/company/**/*.ts', 'src/scalars/**/*.ts', 'src/limits/**/*.ts', 'src/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [AXIOS, IOREDIS],
          patterns: [
            HTTP_EDGE,
            {
              regex: '^\\.\\./(app|context|schema|index|apollo/.*|apollo)$',
              message: 'Resolvers, scalars and limits do not import the layers that assemble them (app, context, schema, apollo).',
            },
          ],
        },
      ],
    },
  },
  {
    // Observability is a leaf: others report to it through the hooks it exports (plain event types that
    // src/codat/, the loaders and the Apollo plugin satisfy structurally); it imports none of them.
    files: ['src/observability/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [AXIOS, IOREDIS, 'graphql', 'type-graphql'],
          patterns: [
            { group: ['@apollo/*'], message: 'src/observability/ knows nothing of Apollo: src/apollo/ feeds it.' },
            { regex: '^\\.\\./(?!lib/)', message: 'src/observability/ is a leaf: nothing from the rest of src/ but src/lib/.' },
          ],
        },
      ],
    },
  },
  {
    // The Codat client owns axios and knows nothing of GraphQL or Apollo.
    files: ['src/codat/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['graphql', 'type-graphql', 'dataloader', IOREDIS],
          patterns: [
            { group: ['@apollo/*'], message: 'src/codat/ knows nothing of GraphQL or Apollo.' },
            { regex: '^\\.\\./(?!lib/)', message: 'src/codat/ stands alone: nothing from the rest of src/ but src/lib/.' },
          ],
        },
      ],
    },
  },
  {
    // The shared structures (src/shared-state/) hold ioredis; like everything below the server they do not import the HTTP edge.
    files: ['src/shared-state/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [AXIOS], patterns: [HTTP_EDGE] }] },
  },
  {
    // The simulator models Codat, not our app: it imports nothing from the rest of src/.
    files: ['src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['axios', 'ioredis', 'graphql'], patterns: [{ group: ['../*'], message: 'The simulator stands alone.' }] },
      ],
    },
  },
);
