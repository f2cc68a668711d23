import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/examples.js';

// A render child whose parent exits at once (as a worker does on a second SIGTERM) while it is
// busy rendering: its next message finds the channel closed. It must leave quietly, without an
// unhandled EPIPE on its stderr.

/** A parent that starts a render child, hands it the 2019 example and exits at its first step. */
const PARENT = `
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
const child = fork(${JSON.stringify(path.join(ROOT, 'src/jobs/render-child.mjs'))}, ['--no-workbook-thread'], {
  execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
child.on('message', (message) => {
  if (message.type === 'ready') {
    const dataset = readFileSync(${JSON.stringify(path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset.json'))});
    child.send({ type: 'render', id: 1, input: { dataset } });
  }
  if (message.type === 'step') {
    console.error('parent exits at step ' + message.step + ', child ' + child.pid);
    process.exit(1);
  }
});
`;

describe('render child', () => {
  it('leaves quietly when its parent exits in the middle of a render', async () => {
    const parent = spawn(process.execPath, ['--input-type=module', '-e', PARENT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    parent.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // 'close' comes when the pipes are closed: the child holds them too, so once it has exited.
    const code = await new Promise<number | null>((resolve) => parent.once('close', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output).toContain('parent exits at step validate');
    expect(output).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
  }, 60_000);
});
