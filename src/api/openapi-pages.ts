/** The editors' page, its files and the metrics in the OpenAPI document: not JSON, but routes all the same. */
const html = { 'text/html': { schema: { type: 'string' } } };

export const PAGE_PATHS = {
  '/': {
    get: {
      operationId: 'home',
      summary: 'Redirects to the editors’ page',
      responses: { '302': { description: 'To /redactie.' } },
    },
  },
  '/redactie': {
    get: {
      operationId: 'editorsPage',
      summary: 'The editors’ page (Dutch): upload, check, render and download',
      responses: { '200': { description: 'The page.', content: html } },
    },
  },
  '/static/{name}': {
    get: {
      operationId: 'staticFile',
      summary: 'A script, style sheet or font of the page',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The file.', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        '404': { description: 'No such file.' },
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics: render jobs by state, queue depth, HTTP latency by route, process',
      responses: { '200': { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
} as const;
