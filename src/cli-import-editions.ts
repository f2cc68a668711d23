import { pino } from 'pino';
import { createAuditLog } from './api/index.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open-database.js';
import { runCli } from './cli-run.js';
import { createFsStorage, toRendererIdentity } from './jobs/index.js';
import { importEditions } from './record/import-editions.js';
import { createRecordDeps } from './record/index.js';
import { loadTemplates } from './resources.js';

// `npm run import-editions`: imports the editions that the service recorded on disk before its
// record moved into the database (STORAGE_DIR/publications), once. Running it again imports
// nothing twice. With the embedded database, stop `npm start` first.

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ name: 'import-editions', level: config.logLevel });
  const db = await openDatabase(config, logger);
  try {
    const storage = createFsStorage(config.storageDir);
    const record = createRecordDeps({
      db,
      storage,
      audit: createAuditLog(db, { logger }),
      identity: toRendererIdentity(loadTemplates()),
      logger,
      service: () => {
        throw new Error('the import renders nothing');
      },
    });
    const reports = await importEditions(record);
    if (reports.length === 0) console.log(`no editions on disk in ${config.storageDir}/publications`);
    for (const r of reports) {
      console.log(`${r.publicationId}: imported ${r.imported.length > 0 ? `editions ${r.imported.join(', ')}` : 'nothing new'}`);
      for (const s of r.skipped) console.log(`  kept on disk, not imported: edition ${s.edition} (${s.jobId}): ${s.reason}`);
    }
  } finally {
    await db.close();
  }
}

runCli(main, 'Usage: npm run import-editions');
