// The record of drafts, reviews, editions, releases and withdrawals.
import type { Logger } from 'pino';
import type { AuditLog } from '../api/auth/audit-log.js';
import type { Database } from '../db/database.js';
import type { RenderService } from '../jobs/render-service.js';
import { hashTemplates, type RendererIdentity } from '../jobs/renderer-identity.js';
import type { Storage } from '../jobs/storage.js';
import type { TemplateFiles } from '../render/types.js';
import { loadTemplates } from '../resources.js';
import type { RecordDeps } from './record-deps.js';

export { createJobGate } from './editions-view.js';
export type { RecordDeps } from './record-deps.js';

/**
 * The record's dependencies for a composition root. The render service is passed late (`service()`),
 * since it needs the record's job gate to be created.
 */
export function createRecordDeps(options: {
  readonly db: Database;
  readonly storage: Storage;
  readonly audit: AuditLog;
  readonly identity: RendererIdentity;
  /** The current templates; default the project's templates/ (they must be the ones identity was made from). */
  readonly templates?: TemplateFiles;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly service: () => RenderService;
}): RecordDeps {
  const templates = options.templates ?? loadTemplates();
  if (hashTemplates(templates) !== options.identity.templatesHash) {
    throw new Error('createRecordDeps: the templates are not the ones the renderer identity was made from');
  }
  return {
    db: options.db,
    storage: options.storage,
    audit: options.audit,
    identity: options.identity,
    templates,
    logger: options.logger,
    clock: options.clock ?? (() => new Date()),
    jobs: {
      queueRender: (data) => options.service().queueRender(data),
      getManifest: (jobId) => options.storage.getManifest(jobId).catch(() => undefined),
    },
  };
}
