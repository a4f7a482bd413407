// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports a layer may not make, with the rule said once. */
function layer(files, message, forbidden) {
  return {
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Scripts Node runs as they are (npm start's launcher).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The sandbox page: plain ES modules that the browser loads as they are.
    files: ['src/sandbox/page/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'localStorage',
          'fetch',
          'EventSource',
          'Node',
          'setTimeout',
          'clearTimeout',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  // The layers, checked: slack/ and jobs/ → flows/ → db/ → domain/. A wrong import fails the lint.
  layer('src/db/**/*.ts', 'The database layer reads and writes tables; it knows only the domain.', [
    '**/flows/*',
    '**/slack/*',
    '**/jobs/*',
    '**/sandbox/*',
    '@slack/*',
  ]),
  layer('src/flows/**/*.ts', 'Flows use the database and the domain; Slack and the jobs call them.', [
    '**/slack/*',
    '**/jobs/*',
    '**/sandbox/*',
    '@slack/*',
  ]),
  layer('src/slack/**/*.ts', 'The Slack layer goes through flows, which hand it views, never the tables.', [
    '**/db/*',
    '**/jobs/*',
    '**/sandbox/*',
    'kysely',
    'pg',
  ]),
  // The jobs claim and settle their own queue, the outbox, and nothing else of the database.
  layer('src/jobs/**/*.ts', 'The jobs go through flows; of the database they use only their queue.', [
    '**/db/*',
    '!**/db/outbox.js',
    '**/slack/*',
    '**/sandbox/*',
    'kysely',
    'pg',
    '@slack/*',
  ]),
  {
    // The domain is pure: no clock, no environment, no database, no Slack.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'kysely',
                'pg',
                '@slack/*',
                '**/db/*',
                '**/flows/*',
                '**/slack/*',
                '**/jobs/*',
                '**/sandbox/*',
              ],
              message: 'The domain is pure: it imports only the domain.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'The domain never reads the environment.' },
        { object: 'Date', property: 'now', message: 'Time arrives as an argument.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time arrives as an argument.',
        },
      ],
    },
  },
);
