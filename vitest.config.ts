import { defineConfig } from 'vitest/config';

// Five projects, by what a test file needs (issue 12 point 7), so a developer runs the fast ones
// in seconds: `npm run test:unit`, `test:render`, `test:process`, `test:integration`, `test:e2e`; `npm test` runs
// them all. A file is placed by what it starts, not by its folder: the files of tests/unit below
// spawn a command (the CLIs through node or tsx), LibreOffice or the workbook thread on purpose,
// so they are in `process`, not in `unit`.

/** Files under tests/unit that start another process or a worker thread to test it. */
const PROCESS_TESTS = [
  'tests/unit/cli.test.ts', // node dist/cli.js
  'tests/unit/cli-check.test.ts', // tsx src/cli-check.ts, src/cli.ts
  'tests/unit/cli-new-period.test.ts', // tsx src/cli-new-period.ts, src/cli.ts
  'tests/unit/import/bad-input.test.ts', // tsx src/cli-import.ts
  'tests/unit/import/import-and-render.test.ts', // tsx src/cli.ts
  'tests/unit/workbook-thread.test.ts', // the workbook thread (piscina), and node processes that start it
  'tests/unit/xlsx/libreoffice.test.ts', // soffice
  'tests/unit/jobs/render-child-exit.test.ts', // a render child forked by a parent that exits
];

/**
 * Files under tests/unit that render the whole publication of an example (seconds each) and read
 * it back: in-process like unit tests, but kept apart so that `test:unit` runs in seconds.
 */
const RENDER_TESTS = [
  'tests/unit/errata/erratum-render.test.ts',
  'tests/unit/pdf/print-layout.test.ts',
  'tests/unit/draft-mark.test.ts',
  'tests/unit/pdf/pdf-ua.test.ts',
  'tests/unit/xlsx/render-workbook.test.ts',
  'tests/unit/pdf/publication.test.ts',
  'tests/unit/text/second-period.test.ts',
  'tests/unit/text/edition-templates.test.ts',
  'tests/unit/pdf-and-workbook.test.ts',
  'tests/unit/text/template-directives.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a page or the service shows after work in another process (the
    // body thread's checks, a render child). Its default of 1 s fails on a loaded machine (another
    // test run on the same two cores) although nothing is wrong: wait up to 15 s, still checking every 50 ms.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    projects: [
      {
        // In-process and on its own: no Redis, PostgreSQL, browser, child process or LibreOffice.
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: [...PROCESS_TESTS, ...RENDER_TESTS] },
      },
      {
        // Whole publications rendered in-process and read back (PDF text, structure, layout; workbook cells).
        extends: true,
        test: { name: 'render', include: RENDER_TESTS },
      },
      {
        // Commands, LibreOffice and threads. tests/global-setup.ts compiles dist/ for node dist/cli.js.
        extends: true,
        test: { name: 'process', include: PROCESS_TESTS, globalSetup: ['tests/global-setup.ts'] },
      },
      {
        // The service on Redis (BullMQ) and the record on PostgreSQL or PGlite.
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/record/**/*.test.ts', 'tests/security/**/*.test.ts'],
        },
      },
      {
        // The editors' page in Chromium (playwright-core), on the service and Redis.
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] },
      },
    ],
  },
});
