// The safe JSON reading of issue 15 point 2: UTF-8 with the offset of the first bad byte, depth before parsing, no __proto__.
import { describe, expect, it } from 'vitest';
import {
  assertJsonDepth,
  decodeUtf8,
  findInvalidUtf8,
  findProtoKey,
  JsonTextError,
  parseJsonSafely,
} from '../../../src/model/json-text.js';

describe('json-text', () => {
  it('finds the first byte that is not UTF-8: stray continuation, overlong, surrogate, above U+10FFFF, cut short', () => {
    const at = (...bytes: number[]) => findInvalidUtf8(Uint8Array.from([0x61, 0x62, ...bytes]));
    expect(at(0xc3, 0xa9, 0xe2, 0x80, 0xae, 0xf0, 0x9f, 0x98, 0x80)).toBe(-1);
    expect(at(0x80)).toBe(2);
    expect(at(0xc0, 0xaf)).toBe(2);
    expect(at(0xe0, 0x80, 0xaf)).toBe(2);
    expect(at(0xed, 0xa0, 0x80)).toBe(2);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(2);
    expect(at(0xe2, 0x80)).toBe(2);
    expect(() => decodeUtf8(Uint8Array.from([0x7b, 0xff, 0x7d]))).toThrow(/offset 1 /);
    expect(decodeUtf8(Buffer.from('{"a":"é"}'))).toBe('{"a":"é"}');
  });

  it('counts depth outside strings only, and names line and column of the first bracket too deep', () => {
    expect(() => assertJsonDepth('{"a":"[[[[[[[[[[[[[["}', 2)).not.toThrow();
    expect(() => assertJsonDepth('{"a\\"[[[":1}', 1)).not.toThrow();
    expect(() => assertJsonDepth('[\n [\n  [1]]]', 2)).toThrow(/deeper than 2 levels \(at line 3, column 3\)/);
    expect(() => assertJsonDepth('[[[]],[[]]]', 3)).not.toThrow();
  });

  it('refuses __proto__ keys wherever they are, and leaves other values as JSON.parse makes them', () => {
    expect(findProtoKey(JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}'))).toBe('a[0].b.__proto__');
    expect(() => parseJsonSafely('{"__proto__":{}}', 5)).toThrow(JsonTextError);
    expect(() => parseJsonSafely('{"a":{"\\u005f_proto__":{}}}', 5)).toThrow(/at a\.__proto__/);
    expect(parseJsonSafely('{"a":[1,"__proto__"]}', 5)).toEqual({ a: [1, '__proto__'] });
  });
});
