// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import layering from './eslint-rules/layering.js'

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'test-artifacts/', 'bench/out/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { layering },
    rules: {
      'layering/allowed-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // One TensorFlow.js namespace: src/engine/ml/tf.ts (see its comment).
    files: ['src/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/engine/ml/tf.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tensorflow/tfjs',
              message: "Import { tf } from 'src/engine/ml/tf' instead.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*', 'src/preload/**/*'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
)
