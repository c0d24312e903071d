'use strict';
/**
 * serverless-esbuild `custom.esbuild.config` hook: it require()s this file and calls the export.
 * It has to be CommonJS (the plugin uses require), while the shared options are TypeScript,
 * so they are loaded through tsx's require API. Both clouds therefore build with exactly
 * the options in infra/build/esbuild-options.ts.
 */
const { require: tsxRequire } = require('tsx/cjs/api');

const { sharedEsbuildOptions } = tsxRequire('./esbuild-options.ts', __filename);

module.exports = () => ({
  ...sharedEsbuildOptions(),
  // Plugin-only settings. Nothing is left external: every dependency is inlined, so the plugin
  // has no node_modules to install into the zip (the default excludes 'aws-sdk', which we never import).
  exclude: [],
  external: [],
  packager: 'npm',
});
