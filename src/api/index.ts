// The entry of the API layer.
export { type AppDeps, createApp } from './app.js';
export { openApiDocument } from './openapi.js';
