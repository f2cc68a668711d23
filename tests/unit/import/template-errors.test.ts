import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseDatasetText } from '../../../src/model/dataset.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import type { RenderResources } from '../../../src/render/types.js';
import { loadResources } from '../../../src/resources.js';
import { ROOT } from '../xlsx/workbook-reading.js';

const resources = loadResources();
const file = 'examples/statline-2023-mensenhandel/dataset.json';
const dataset = parseDatasetText(readFileSync(path.join(ROOT, file), 'utf8'), file);

function withFiles(changes: Record<string, string>): RenderResources {
  return { ...resources, templates: { ...resources.templates, ...changes } };
}

async function renderError(changes: Record<string, string>): Promise<AppError | undefined> {
  return renderEdition({ dataset }, withFiles(changes)).then(
    () => undefined,
    (e: unknown) => e as AppError,
  );
}

const manifest = JSON.parse(resources.templates['statline-tabel/manifest.json'] ?? '{}');

describe('template errors are TEMPLATE_INVALID with file and field, never a crash', () => {
  it('a manifest field of the wrong type', async () => {
    const e = await renderError({
      'statline-tabel/manifest.json': JSON.stringify({
        ...manifest,
        chapters: [{ file: 'tabellen.hbs', number: 'een', title: 'Tabellen' }],
      }),
    });
    expect(e).toBeInstanceOf(AppError);
    expect(e?.code).toBe('TEMPLATE_INVALID');
    expect(e?.message).toContain('templates/statline-tabel/manifest.json: field "chapters.0.number"');
  });

  it('a manifest that is not JSON', async () => {
    const e = await renderError({ 'statline-tabel/manifest.json': '{ "id": ' });
    expect(e?.code).toBe('TEMPLATE_INVALID');
    expect(e?.message).toContain('templates/statline-tabel/manifest.json is not valid JSON');
  });

  it('a chapter that shows a table the dataset lacks, or an unknown directive', async () => {
    const missing = await renderError({ 'statline-tabel/colofon.hbs': '## Colofon\n\n::table bestaat-niet\n' });
    expect(missing?.code).toBe('TEMPLATE_INVALID');
    expect(missing?.message).toBe(
      'templates/statline-tabel/colofon.hbs, line 3: ::table bestaat-niet: the publication has no table "bestaat-niet"',
    );
    const unknown = await renderError({ 'statline-tabel/colofon.hbs': '::grafiek\n' });
    expect(unknown?.message).toBe(
      'templates/statline-tabel/colofon.hbs, line 1: ::grafiek: unknown directive (known: ::table, ::symbols, ::figure, ::pagebreak)',
    );
  });

  it('a chapter file that does not exist, and a chapter referring to a field the context lacks', async () => {
    const e = await renderError({
      'statline-tabel/manifest.json': JSON.stringify({ ...manifest, chapters: [{ file: 'weg.hbs', number: 1, title: 'Weg' }] }),
    });
    expect(e?.message).toContain('template file "statline-tabel/weg.hbs" does not exist');
    const field = await renderError({ 'statline-tabel/tabellen.hbs': '{{publication.bestaatNiet}}\n' });
    expect(field?.code).toBe('TEMPLATE_INVALID');
    expect(field?.message).toContain('statline-tabel/tabellen.hbs');
  });

  it('renders a template whose only chapter has no number (no Inhoud then)', async () => {
    const rendered = await renderEdition(
      { dataset },
      withFiles({
        'statline-tabel/manifest.json': JSON.stringify({ ...manifest, chapters: [{ file: 'tabellen.hbs', title: 'Tabellen' }] }),
      }),
      {},
    );
    expect(rendered.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx']);
  }, 30_000);
});
