import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { createTextEngine, type TextContext } from '../../../src/render/text/template-engine.js';
import { EXAMPLES, readExampleJson, toDataset } from '../../helpers/examples.js';

function context(dataset: ReturnType<typeof toDataset>): TextContext {
  return { publication: dataset.publication, period: 'p', edition: 1, corrected: false } as unknown as TextContext;
}

/** The example with every Kerncijfers figure multiplied, so that two datasets give different texts. */
function scaled(factor: number) {
  const raw = readExampleJson(EXAMPLES.asPublished);
  const table = raw.tables.find((t) => t.id === 'kerncijfers') as { rows: Record<string, unknown>[] };
  for (const row of table.rows) for (const [key, value] of Object.entries(row)) if (typeof value === 'number') row[key] = value * factor;
  return toDataset(raw);
}

describe('the text engine', () => {
  const files = {
    'test/hoofdstuk.hbs': 'Adviezen: {{number "kerncijfers" "GestarteAdviezen" Regio="NL01"}}. {{> regel}}',
    'test/partials/regel.hbs': 'Editie {{edition}}.',
  };

  it('binds each engine to its own dataset, also where the compiled template is shared', () => {
    const one = scaled(1);
    const two = scaled(2);
    const a = createTextEngine(files, one).render('test/hoofdstuk.hbs', context(one));
    const b = createTextEngine(files, two).render('test/hoofdstuk.hbs', context(two));
    expect(a).toBe('Adviezen: 53\u00a0080. Editie 1.');
    expect(b).toBe('Adviezen: 106\u00a0160. Editie 1.');
    // And again in the first order: nothing of the second engine stuck to the shared template.
    expect(createTextEngine(files, one).render('test/hoofdstuk.hbs', context(one))).toBe(a);
  });

  it('names the file of a template that cannot be read', () => {
    const dataset = scaled(1);
    const broken = { 'test/kapot.hbs': 'Tekst {{#if publication}} zonder einde' };
    let caught: unknown;
    try {
      createTextEngine(broken, dataset).render('test/kapot.hbs', context(dataset));
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'TEMPLATE_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(/^test\/kapot\.hbs: /);
  });
});
