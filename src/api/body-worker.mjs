// Entry of the body thread pool when running from the sources (see body-pool.ts): a worker thread
// does not inherit the tsx loader reliably, so it registers tsx itself (as workbook-worker.mjs does).
import { register } from 'tsx/esm/api';

register();
const loaded = await import('./body-worker.ts');
export default loaded.default;
export const validateDataset = loaded.validateDataset;
