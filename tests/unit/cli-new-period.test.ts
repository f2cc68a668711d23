import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTextsFile } from '../../src/model/texts-file.js';
import { EXAMPLES } from '../helpers/examples.js';
import { runTool } from '../helpers/run-tool.js';

const work = mkdtempSync(path.join(tmpdir(), 'new-period-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tool = runTool;

describe('npm run new-period', () => {
  const out = path.join(work, '2019-hj2');

  it('writes the skeleton and the texts file of the next half-year, which the render command refuses', async () => {
    const made = await tool('src/cli-new-period.ts', ['--from', EXAMPLES.asPublished, '--period', '2019HJ02', '--out', out]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('Nog te doen voordat de publicatie rendert:');
    const dataset = JSON.parse(readFileSync(path.join(out, 'dataset.json'), 'utf8'));
    expect(dataset.publication.period).toEqual({ key: '2019HJ02', title: '2e halfjaar van 2019' });
    expect(dataset.publication.id).toBe('beleidsinformatie-veilig-thuis-2019-hj2');
    expect(dataset.publication.unconfirmed).toEqual(['status', 'publicationDate', 'illustrativeNote']);
    const kern = dataset.tables.find((t: { id: string }) => t.id === 'kerncijfers');
    expect(kern.rows).toHaveLength(27);
    expect(kern.rows[0]).toMatchObject({ Regio: 'NL01', Perioden: '2019HJ02', GestarteAdviezen: null });
    const texts = parseTextsFile(readFileSync(path.join(out, 'teksten.md'), 'utf8'));
    expect(Object.keys(texts.sections)).toEqual(['inleiding', 'kwaliteit-periode', 'kwaliteit']);

    const rendered = await tool('src/cli.ts', [
      '--dataset',
      path.join(out, 'dataset.json'),
      '--texts',
      path.join(out, 'teksten.md'),
      '--out',
      path.join(out, 'uit'),
    ]);
    expect(rendered.code).toBe(1);
    expect(rendered.stderr).toMatch(/error (DATASET_INVALID|TEXTS_INVALID)/);
  });

  it('refuses a file nested deeper than a dataset can be before parsing it, naming the file', async () => {
    const deep = path.join(work, 'diep.json');
    writeFileSync(deep, `${'['.repeat(5000)}${']'.repeat(5000)}`);
    const made = await tool('src/cli-new-period.ts', ['--from', deep, '--period', '2019HJ02', '--out', path.join(work, 'diep')]);
    expect(made.code).toBe(1);
    expect(made.stderr).toContain(`error DATASET_UNREADABLE: ${deep} nests objects and arrays deeper than`);
    expect(existsSync(path.join(work, 'diep'))).toBe(false);
  });

  it('overwrites nothing', async () => {
    const again = await tool('src/cli-new-period.ts', ['--from', EXAMPLES.asPublished, '--period', '2019HJ02', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists: new-period overwrites nothing');
  });
});
