#!/usr/bin/env node
// The `linli` command. Sources are TypeScript run through tsx's loader, so a fresh clone
// needs no separate compile step before `npm start` or `npx linli`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
