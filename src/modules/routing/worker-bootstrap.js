// Worker threads start without the tsx loader the main thread got from bin/linli.js (or
// from vitest), so register it here before loading the TypeScript island.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
