// Entry of the workbook thread from the sources (see workbook-pool.ts). The project runs TypeScript
// through tsx; a worker thread does not inherit the loader of its process reliably (plain node
// --import tsx, the tsx binary, vitest, a forked render child), so it registers tsx itself before
// loading the TypeScript module, as src/jobs/render-child.mjs does for the render child process.
import { register } from 'tsx/esm/api';

register();
const task = await import('./workbook-pool-worker.ts');
export default task.default;
