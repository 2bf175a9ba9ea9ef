// Worker-thread entry for model training: TypeScript runs through tsx here as in the main thread.
import { register } from 'tsx/esm/api';
register();
await import('./train-worker.ts');
