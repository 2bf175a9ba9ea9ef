// Worker-thread entry for import row checks when no bundle could be made (worker-bundle.ts):
// TypeScript runs through tsx here as in the main thread.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
