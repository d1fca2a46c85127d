// The bench's viewer thread starts without the tsx loader the main thread has (bin/linli.js),
// so register it here before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./live-viewers.ts');
