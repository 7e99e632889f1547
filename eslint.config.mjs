// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/__generated__/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
      // Layering (DESIGN.md section 1): only src/codat talks HTTP through axios.
      'no-restricted-imports': ['error', { paths: [{ name: 'axios', message: 'Only src/codat/ may import axios.' }] }],
    },
  },
  {
    // The Codat client owns axios and knows nothing of GraphQL or Apollo.
    files: ['src/codat/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['graphql', 'type-graphql', 'dataloader'],
          patterns: [
            { group: ['@apollo/*'], message: 'src/codat/ knows nothing of GraphQL or Apollo.' },
            { regex: '^\\.\\./(?!lib/)', message: 'src/codat/ stands alone: nothing from the rest of src/ but src/lib/.' },
          ],
        },
      ],
    },
  },
  {
    // The simulator models Codat, not our app: it imports nothing from the rest of src/.
    files: ['src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['axios', 'graphql'], patterns: [{ group: ['../*'], message: 'The simulator stands alone.' }] },
      ],
    },
  },
);
