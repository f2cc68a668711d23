// The entry of the jobs layer: what the API and the composition roots use.
export type { DatasetPlace, DatasetProblem, DatasetReport } from './dataset-report.js';
export { createFsStorage } from './fs-storage.js';
export { createJobCounter, type JobCounter } from './queue-counts.js';
export { type LocalRedis, pingRedis, startLocalRedis } from './local-redis.js';
export { isRenderJobId, type JobStep, type RenderJobData, type RenderJobResult } from './render-job.js';
export {
  createRenderService,
  type JobState,
  type JobStatus,
  type Readiness,
  type RenderService,
  type RenderServiceOptions,
  type SubmitRequest,
  type SubmitResult,
} from './render-service.js';
export { type RenderWorker, type RenderWorkerOptions, startRenderWorker } from './render-worker.js';
export {
  EDITOR_VIEWER,
  isEmbargoDenial,
  isVisible,
  PUBLIC_VIEWER,
  toReleaseMoment,
  toUtcMoment,
  type Viewer,
} from './release-moment.js';
export { type RendererIdentity, toRendererIdentity } from './renderer-identity.js';
export type { ArtifactRecord, ChangedCellRecord, ChangedCellsRecord, EditionManifest, Storage } from './storage.js';
