/** The editors' page and its files in the OpenAPI document: HTML and static files, not JSON, but routes all the same. */
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
} as const;
