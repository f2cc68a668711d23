import { describe, expect, it } from 'vitest';
import { readTemplateSnapshot, snapshotBytes, takeTemplateSnapshot, withSnapshot } from '../../../src/render/template-snapshot.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import type { RenderRequest, TemplateFiles } from '../../../src/render/types.js';
import { loadResources } from '../../../src/resources.js';
import { errorOf } from '../../helpers/errors.js';
import { EXAMPLES, loadExample } from '../../helpers/examples.js';

const resources = loadResources();
const correction: RenderRequest = {
  dataset: loadExample(EXAMPLES.corrected),
  previous: loadExample(EXAMPLES.asPublished),
  erratum: { date: '2020-04-28', text: 'Hersteld.' },
};

/** The templates as a later period might leave them: a chapter reworded. */
function changedTemplates(): TemplateFiles {
  const path = 'beleidsinformatie/02-uitkomsten.hbs';
  const source = resources.templates[path] ?? '';
  expect(source).toContain('In deze publicatie gelden de definities');
  return { ...resources.templates, [path]: source.replace('In deze publicatie gelden de definities', 'Hier gelden de definities') };
}

async function render(templates: TemplateFiles) {
  const result = await renderEdition(correction, { ...resources, templates });
  return new Map(result.artifacts.map((a) => [a.name, a.bytes]));
}

describe('templates kept per edition', () => {
  it('renders a correction of 2019-HJ1 after a template change with the stored templates, byte for byte as before', async () => {
    // The first edition's templates, stored as the CLI and the service store them, and read back.
    const stored = readTemplateSnapshot(snapshotBytes(takeTemplateSnapshot(resources.templates, 'beleidsinformatie')).toString('utf8'));
    const before = await render(resources.templates);
    const changed = changedTemplates();
    const withCurrent = await render(changed);
    expect(withCurrent.get('publicatie.pdf')?.equals(before.get('publicatie.pdf') ?? Buffer.alloc(0))).toBe(false);
    const withStored = await render(withSnapshot(changed, stored));
    for (const [name, bytes] of before) expect(withStored.get(name)?.equals(bytes), name).toBe(true);
  });

  it('addresses a snapshot by its content and refuses one changed after it was stored', () => {
    const a = takeTemplateSnapshot(resources.templates, 'beleidsinformatie');
    const b = takeTemplateSnapshot(changedTemplates(), 'beleidsinformatie');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).not.toBe(a.sha256);
    expect(takeTemplateSnapshot(resources.templates, 'beleidsinformatie').sha256).toBe(a.sha256);
    expect(Object.keys(a.files).every((p) => p.startsWith('beleidsinformatie/'))).toBe(true);
    const tampered = snapshotBytes(a).toString('utf8').replace('In deze publicatie gelden', 'In deze uitgave gelden');
    const error = errorOf(() => readTemplateSnapshot(tampered, 'sjablonen.json'));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toContain('sjablonen.json: its files do not match its sha256');
  });
});
