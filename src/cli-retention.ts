import { parseArgs } from 'node:util';
import { cliActor, createAuditLog } from './api/index.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open-database.js';
import { runCli } from './cli-run.js';
import { AppError } from './errors.js';
import { applyRetention, planRetention, type RetentionPlan } from './record/retention.js';

// `npm run retention -- --days N [--dry-run]`: removes drafts that never became an edition and are
// older than N days, with their rendered files, and dataset files nothing refers to (see
// src/record/retention.ts). Never an edition. With the embedded database, stop `npm start` first.

const USAGE = `Usage: npm run retention -- --days <N> [--dry-run]

Removes, from the record and the storage directory:
  - drafts older than N days that were not approved (pending or rejected), with their reviews
    and their rendered files (jobs/<job id>/), unless an edition or another draft uses those files;
  - dataset files (datasets/<sha256>.json, also kept templates) last changed more than N days ago
    that no edition, no remaining draft and no remaining job refers to.
Never an edition, nor anything an edition refers to. Every removal is in the audit log
(draft.removed, retention.removed). --dry-run prints what would be removed and changes nothing.

The record is the PostgreSQL server of $DATABASE_URL, or without it the embedded database in
$STORAGE_DIR/pglite (default ./.storage; stop \`npm start\` first).`;

function printPlan(plan: RetentionPlan, verb: string): void {
  for (const d of plan.drafts) console.log(`${verb} draft ${d.id} (${d.publicationId}, ${d.state}, made ${d.createdAt})`);
  for (const jobId of plan.jobs) console.log(`${verb} files jobs/${jobId}/`);
  for (const hash of plan.datasets) console.log(`${verb} dataset datasets/${hash}.json`);
  console.log(
    `${plan.drafts.length} draft(s), ${plan.jobs.length} job folder(s), ${plan.datasets.length} dataset file(s) ` +
      `${verb === 'would remove' ? 'would be removed' : 'removed'} (older than ${plan.cutoff})`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { days: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length > 0) throw new AppError('USAGE', `retention takes no arguments besides --days and --dry-run\n\n${USAGE}`);
  const days = Number(values.days);
  if (values.days === undefined || !/^\d+$/.test(values.days) || days < 1) {
    throw new AppError('USAGE', `--days must be a whole number of days, at least 1\n\n${USAGE}`);
  }
  const config = loadConfig(process.env);
  const db = await openDatabase(config);
  try {
    const plan = await planRetention(db, config.storageDir, { days, now: new Date() });
    if (values['dry-run']) {
      printPlan(plan, 'would remove');
      return;
    }
    printPlan(await applyRetention(db, createAuditLog(db), config.storageDir, plan, cliActor()), 'removed');
  } finally {
    await db.close();
  }
}

runCli(main, USAGE);
