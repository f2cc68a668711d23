// Entry of a render child process (see render-sandbox.ts). The service runs TypeScript through
// tsx; a forked child does not inherit a loader reliably (vitest, plain node), so it registers tsx
// itself before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./render-child.ts');
