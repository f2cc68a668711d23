import type { Logger } from 'pino';
import type { AuditLog } from '../api/auth/audit-log.js';
import type { Database } from '../db/database.js';
import type { RenderService } from '../jobs/render-service.js';
import type { RendererIdentity } from '../jobs/renderer-identity.js';
import type { Storage } from '../jobs/storage.js';
import type { TemplateFiles } from '../render/types.js';

/** What the use cases of drafts, reviews and editions need, passed in by the composition root. */
export interface RecordDeps {
  readonly db: Database;
  readonly storage: Storage;
  readonly audit: AuditLog;
  /** Queues renders and reads their manifests. */
  readonly jobs: Pick<RenderService, 'queueRender' | 'getManifest'>;
  readonly identity: RendererIdentity;
  /** The current templates (identity.templatesHash is their hash): kept in storage with each draft that uses them. */
  readonly templates: TemplateFiles;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Who asks, and from where (for the audit log). */
export interface Caller {
  readonly actor: { readonly id: string; readonly name: string; readonly role: 'reader' | 'editor' | 'admin' };
  readonly ip: string | null;
  /** The request's X-Request-Id, passed to the render jobs it queues (the worker logs it). */
  readonly requestId?: string;
}
