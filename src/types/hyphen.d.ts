/** The `hyphen` package (no types of its own): a hyphenator made from TeX's patterns for one language. */
declare module 'hyphen/nl/index.js' {
  interface HyphenOptions {
    /** Inserted at each break; default the soft hyphen U+00AD. */
    readonly hyphenChar?: string;
    /** Words shorter than this are left whole; default 5. */
    readonly minWordLength?: number;
  }
  const nl: {
    hyphenateSync(text: string, options?: HyphenOptions): string;
  };
  export default nl;
}
