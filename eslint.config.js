import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'bench/results/', 'screenshots/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/config.ts.' }],
    },
  },
  // The dependency rule (docs/ARCHITECTURE.md): lib/, db/ and i18n/ depend on no feature;
  // a feature uses another feature only through its public modules (models, services,
  // policies, the slot engine), never its handlers, routes, tasks or views.
  {
    files: ['src/lib/**/*.ts', 'src/db/**/*.ts', 'src/i18n/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/db/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{
        group: ['../*/**', '!../lib/**', '!../db/**', '!../i18n/**', '../composition.ts', '../app.ts', '../server.ts', '../jobs.ts', '../messages.ts', '../api-modules.ts'],
        message: 'lib/, db/ and i18n/ depend on no feature: move the code, or hand it in from the composition root.',
      }] }],
    },
  },
  {
    files: ['src/*/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/lib/**', 'src/db/**', 'src/i18n/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{
        group: [
          '../*/**', '!../lib/**', '!../db/**', '!../i18n/**',
          '!../*/model.ts', '!../*/service.ts', '!../*/*-service.ts', '!../*/policy.ts', '!../slots/engine.ts',
          // How a feature's records look in the public API (zod schemas shared by the operations).
          '!../*/api-views.ts',
          // The course pages' view model and access rules: reviews and lesson Q&A re-render those pages.
          '!../courses/pages.ts', '!../courses/access.ts',
        ],
        message: "Use another feature through its public modules (model, service, policy) handed in by src/composition.ts, not its handlers, routes, tasks or views.",
      }] }],
    },
  },
  // Start-up pays for every module imported statically: these are loaded with import()
  // where they are used (stripe-sdk.ts, token-service.ts, mailer.ts), ~140 ms in all.
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['stripe', 'jose', 'nodemailer'].map((name) => ({
          name, allowTypeImports: true, message: 'Rarely needed and slow to load: import() it where it is used, so start-up does not pay for it.',
        })),
      }],
    },
  },
  { files: ['public/js/**/*.js'], languageOptions: { globals: { ...globals.browser }, sourceType: 'script' } },
  { files: ['src/config.ts', 'knexfile.ts', 'test/**', 'bench/**', 'scripts/cluster/**', '*.config.*'], rules: { 'no-restricted-syntax': 'off' } },
);
