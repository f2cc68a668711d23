/**
 * Reading JSON that comes from outside, safely: bytes must be UTF-8 (the first bad byte is named),
 * nesting is refused beyond a small depth before JSON.parse runs (so deep brackets can neither
 * stall the parser nor overflow the stack of whatever walks the value later), and `__proto__`
 * keys are refused (validation would drop their content while the raw value lives on).
 */

/** Why a JSON text was refused, with where. */
export class JsonTextError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'JsonTextError';
  }
}

/** How deep a dataset file nests (objects and arrays); the dataset format needs 7. */
export const MAX_DATASET_DEPTH = 10;

/** The byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes UTF-8 bytes; throws JsonTextError naming the byte offset of the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    throw new JsonTextError(`is not valid UTF-8: the byte at offset ${offset} cannot start or continue a character`, `byte ${offset}`);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Throws JsonTextError when objects and arrays nest deeper than `maxDepth` (strings are skipped). Linear, no recursion. */
export function assertJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) {
        const where = lineAndColumn(text, i);
        throw new JsonTextError(`nests objects and arrays deeper than ${maxDepth} levels (at ${where})`, where);
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** The path of the first `__proto__` key in a parsed JSON value, or undefined. Iterative. */
export function findProtoKey(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        stack.push([item, `${path}[${i}]`]);
      });
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return child;
      stack.push([(node as Record<string, unknown>)[key], child]);
    }
  }
  return undefined;
}

/** Parses JSON text that came from outside: depth checked first, `__proto__` keys refused. Syntax errors are JSON.parse's. */
export function parseJsonSafely(text: string, maxDepth: number): unknown {
  assertJsonDepth(text, maxDepth);
  const value: unknown = JSON.parse(text);
  // A key can only be __proto__ when the text spells it, plainly or with \u escapes: skip the walk otherwise.
  if (!text.includes('__proto__') && !text.includes('\\u')) return value;
  const proto = findProtoKey(value);
  if (proto !== undefined) throw new JsonTextError(`has a key "__proto__" (at ${proto}), which is not a field of anything`, proto);
  return value;
}
