import { createRequire } from 'node:module';

/*
 * Fonts parsed once per process. pdfkit (under pdfmake) reads each TTF file and parses it with
 * fontkit.create for every PDF it prints, and fontkit then decodes the same tables, glyphs and
 * layout data again: a fifth of a warm render. Here pdfkit gets a fontkit whose `create` returns
 * the font parsed before from the same bytes; each PDF still makes its own subset and embeds its
 * own copy, so the output is the same byte for byte. Nothing in node_modules changes: the wrapper
 * takes fontkit's place in the module cache before pdfkit first loads it, which is why pdfmake is
 * loaded through loadPdfmake(). pdfkit and fontkit run synchronously within one print, so a font
 * object is never used by two prints at once.
 */

type FontkitCreate = (buffer: Uint8Array, postscriptName?: string) => unknown;

interface ParsedFont {
  readonly postscriptName: string | undefined;
  readonly bytes: Buffer;
  readonly font: unknown;
}

/** More distinct font files than a publication uses; past this, fonts are parsed per PDF again. */
const MAX_SHARED_FONTS = 32;

const require = createRequire(import.meta.url);
const requireFromPdfmake = createRequire(require.resolve('pdfmake/package.json'));
const PDFKIT_PATH = requireFromPdfmake.resolve('pdfkit');
const requireFromPdfkit = createRequire(PDFKIT_PATH);
const FONTKIT_PATH = requireFromPdfkit.resolve('fontkit');

/** Marks the sharing fontkit, so that a second copy of this module (tests) finds it in place. */
const SHARED = Symbol.for('cbs.shared-fonts');

interface SharedFontkit {
  readonly [SHARED]: ParsedFont[];
}

let installed: boolean | undefined;

/** fontkit.create that returns the font parsed before from equal bytes (and the same postscript name). */
function sharedCreate(create: FontkitCreate, parsed: ParsedFont[]): FontkitCreate {
  return (buffer, postscriptName) => {
    const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const known = parsed.find((p) => p.postscriptName === postscriptName && p.bytes.equals(bytes));
    if (known) return known.font;
    const font = create(buffer, postscriptName);
    // Keep a copy of the bytes: the caller may reuse its buffer.
    if (parsed.length < MAX_SHARED_FONTS) parsed.push({ postscriptName, bytes: Buffer.from(bytes), font });
    return font;
  };
}

/**
 * Puts the sharing fontkit in the module cache, where pdfkit's `require('fontkit')` finds it.
 * False (with a warning) when pdfkit was loaded before: it then keeps the plain fontkit, which
 * prints the same bytes, only slower.
 */
export function installSharedFonts(): boolean {
  if (installed !== undefined) return installed;
  if (sharingFontkit()) {
    installed = true;
    return installed;
  }
  if (require.cache[PDFKIT_PATH]) {
    process.emitWarning('pdfkit was loaded before the font sharing: fonts are parsed for every PDF', { code: 'FONTS_NOT_SHARED' });
    installed = false;
    return installed;
  }
  const fontkit = requireFromPdfkit('fontkit') as { create: FontkitCreate };
  const module = require.cache[FONTKIT_PATH];
  if (!module) throw new Error(`fontkit is not in the module cache at ${FONTKIT_PATH}`);
  const parsed: ParsedFont[] = [];
  module.exports = Object.create(fontkit, {
    create: { value: sharedCreate(fontkit.create.bind(fontkit), parsed), enumerable: true },
    [SHARED]: { value: parsed },
  });
  installed = true;
  return installed;
}

/** pdfmake, loaded after the font sharing is in place. */
export function loadPdfmake<T>(): T {
  installSharedFonts();
  return require('pdfmake') as T;
}

function sharingFontkit(): SharedFontkit | undefined {
  const exports = require.cache[FONTKIT_PATH]?.exports as Partial<SharedFontkit> | undefined;
  return exports?.[SHARED] ? (exports as SharedFontkit) : undefined;
}

/** How many fonts this process has parsed and shares; undefined when it does not share them. */
export function sharedFontCount(): number | undefined {
  return sharingFontkit()?.[SHARED].length;
}
