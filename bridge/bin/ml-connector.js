#!/usr/bin/env node
// The bridge runs its TypeScript sources through tsx's loader so that `npm ci` is the whole
// install: no build step can be forgotten between a checkout and `npx ml-connector`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
