import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../src/resources.js';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where profiled time went. */
export interface ProfileSummary {
  /** Sampled time in ms, without idle. */
  readonly totalMs: number;
  /** Self time by owner: an npm package, "ours: src/<dir>", "node", "(garbage collector)". */
  readonly byOwner: readonly { readonly owner: string; readonly ms: number; readonly share: number }[];
  /** Our functions by inclusive time (their own work plus the library calls they make). */
  readonly oursInclusive: readonly { readonly fn: string; readonly ms: number; readonly share: number }[];
  /** Our functions by self time (what our own code costs, without the library calls it makes). */
  readonly oursSelf: readonly { readonly fn: string; readonly ms: number; readonly share: number }[];
  /** The functions with the most self time, any owner. */
  readonly topSelf: readonly { readonly fn: string; readonly ms: number; readonly share: number }[];
}

function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'node';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] as string;
  const file = url.replace(/^file:\/\//, '');
  if (file.startsWith(`${PROJECT_ROOT}/src/`)) {
    const rel = file.slice(PROJECT_ROOT.length + 1);
    const parts = rel.split('/');
    return `ours: ${parts.length > 2 ? parts.slice(0, 3).join('/') : rel}`;
  }
  if (file.startsWith(`${PROJECT_ROOT}/bench/`)) return 'bench harness';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(`${PROJECT_ROOT}/`, '')
    .replace(/^.*node_modules\//, '');
  // tsx's transform reports line 0 for every function of ours: name and file say enough there.
  return `${functionName || '(anonymous)'} ${file}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}`;
}

/** Sums a .cpuprofile by owner and by function; `ours` limits the inclusive list to files under src/. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const isIdle = (n: ProfileNode) => n.callFrame.functionName === '(idle)';
  let totalMs = 0;
  const owners = new Map<string, number>();
  const selfByFn = new Map<string, number>();
  const oursSelfByFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0 || isIdle(node)) continue;
    totalMs += ms;
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
    const fn = nameOf(node);
    selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + ms);
    if (owner.startsWith('ours:')) oursSelfByFn.set(fn, (oursSelfByFn.get(fn) ?? 0) + ms);
  }

  // Inclusive time per function of ours, counted once per call stack (recursion is not double counted).
  const inclusive = new Map<number, number>();
  const computeInclusive = (id: number): number => {
    const node = byId.get(id);
    if (!node) return 0;
    let sum = isIdle(node) ? 0 : (selfMs.get(id) ?? 0);
    for (const child of node.children ?? []) sum += computeInclusive(child);
    inclusive.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0];
  if (root) computeInclusive(root.id);
  const oursByFn = new Map<string, number>();
  const active = new Map<string, number>();
  const walk = (id: number): void => {
    const node = byId.get(id);
    if (!node) return;
    const ours = ownerOf(node.callFrame.url, node.callFrame.functionName).startsWith('ours:');
    const fn = nameOf(node);
    if (ours) {
      if (!active.get(fn)) oursByFn.set(fn, (oursByFn.get(fn) ?? 0) + (inclusive.get(id) ?? 0));
      active.set(fn, (active.get(fn) ?? 0) + 1);
    }
    for (const child of node.children ?? []) walk(child);
    if (ours) active.set(fn, (active.get(fn) ?? 1) - 1);
  };
  if (root) walk(root.id);

  const ranked = <K extends string>(map: Map<string, number>, key: K) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, ms]) =>
          ({ [key]: name, ms: Math.round(ms), share: Math.round((ms / totalMs) * 1000) / 1000 }) as Record<K, string> & {
            ms: number;
            share: number;
          },
      );
  return {
    totalMs: Math.round(totalMs),
    byOwner: ranked(owners, 'owner'),
    oursInclusive: ranked(oursByFn, 'fn'),
    oursSelf: ranked(oursSelfByFn, 'fn'),
    topSelf: ranked(selfByFn, 'fn'),
  };
}
