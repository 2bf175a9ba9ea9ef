#!/usr/bin/env node
// The `gongzhi` CLI. TypeScript sources run through tsx, so there is no build step for the server.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli.ts');
await main(process.argv);
