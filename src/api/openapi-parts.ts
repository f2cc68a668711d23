// Pieces every part of the OpenAPI document uses: an error answer, a JSON answer, a path parameter.

/** An error answer: application/problem+json with the Problem schema. */
export function problemAnswer(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

/** A JSON answer whose body is the named schema of the document's components. */
export function jsonAnswer(schema: string, description: string) {
  return { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } };
}

/** A required path parameter, e.g. `pathParameter('id', 'A draft id', { type: 'string', pattern: '^d_…$' })`. */
export function pathParameter(name: string, description: string, schema: Record<string, unknown>) {
  return { name, in: 'path', required: true, description, schema };
}
