import { buildDist } from '../scripts/build.js';

// Before any test file: compile src/ into dist/ (esbuild, well under a second), so that tests of
// the commands (tests/unit/cli.test.ts) run the compiled code `npm run render` runs, from the
// sources under test.
export default async function setup(): Promise<void> {
  await buildDist();
}
