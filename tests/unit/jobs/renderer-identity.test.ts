import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashRenderingCode, renderingSourceFiles } from '../../../src/jobs/renderer-identity.js';
import { PROJECT_ROOT } from '../../../src/resources.js';

describe("the renderer's identity", () => {
  const files = renderingSourceFiles().map((f) => path.relative(PROJECT_ROOT, f).split(path.sep).join('/'));

  it('covers src/render, src/model and every project file they import, such as the shared ZIP reader', () => {
    expect(files).toContain('src/render/render-edition.ts');
    expect(files).toContain('src/model/dataset.ts');
    // Outside both folders, but the workbook's bytes pass through it.
    expect(files).toContain('src/zip-reader.ts');
    expect(files).toContain('src/errors.ts');
  });

  it('leaves out what does not render: the API, the queue, the record', () => {
    expect(files.filter((f) => /^src\/(api|record|db|import)\//.test(f))).toEqual([]);
  });

  it('changes when a file the rendering code imports from outside its folders changes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'identity-'));
    try {
      await cp(path.join(PROJECT_ROOT, 'src'), path.join(root, 'src'), { recursive: true });
      const before = hashRenderingCode(root);
      expect(hashRenderingCode(root)).toBe(before);
      await appendFile(path.join(root, 'src', 'zip-reader.ts'), '\n// changed\n');
      expect(hashRenderingCode(root)).not.toBe(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
