import { AppError } from '../errors.js';

/** One object of an OData `value` array, with the line it starts on. */
export interface JsonRecord {
  readonly value: Record<string, unknown>;
  readonly line: number;
}

/**
 * Streams the objects of the top-level `value` array of an OData response
 * (`{"@odata.context": …, "value": [{…}, {…}]}`) one by one, so that a file of a million
 * observations never sits in memory whole. Strict UTF-8; broken JSON is IMPORT_INVALID with its line.
 */
export async function* valueObjects(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let capture: string[] | undefined;
  let captureStart = 0;
  let captureLine = 0;
  let arrayOpen = false;
  let lastKey = '';
  let keyBuffer: string | undefined;
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new AppError('IMPORT_INVALID', `${file}, after line ${line}: the file is not UTF-8`);
    }
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) {
          inString = false;
          if (keyBuffer !== undefined) {
            keyBuffer += text.slice(from, i);
            lastKey = keyBuffer;
            keyBuffer = undefined;
          }
        }
        continue;
      }
      if (ch === 10) line++;
      else if (ch === 34) {
        inString = true;
        if (depth === 1 && !arrayOpen) {
          keyBuffer = '';
          from = i + 1;
        }
      } else if (ch === 123 || ch === 91) {
        if (depth === 1 && ch === 91 && lastKey === 'value') arrayOpen = true;
        else if (depth === 2 && arrayOpen && ch === 123) {
          capture = [];
          captureStart = i;
          captureLine = line;
        }
        depth++;
      } else if (ch === 125 || ch === 93) {
        depth--;
        if (depth === 2 && capture && ch === 125) {
          capture.push(text.slice(captureStart, i + 1));
          const source = capture.join('');
          capture = undefined;
          let value: unknown;
          try {
            value = JSON.parse(source);
          } catch (error) {
            throw new AppError('IMPORT_INVALID', `${file}, line ${captureLine}: broken JSON (${(error as Error).message})`);
          }
          yield { value: value as Record<string, unknown>, line: captureLine };
        } else if (depth === 1 && arrayOpen) arrayOpen = false;
        if (depth < 0) throw new AppError('IMPORT_INVALID', `${file}, line ${line}: broken JSON (unbalanced brackets)`);
      }
    }
    if (capture) {
      capture.push(text.slice(captureStart));
      captureStart = 0;
    }
    if (keyBuffer !== undefined) {
      keyBuffer += text.slice(from);
      from = 0;
    }
  }
  if (depth !== 0 || inString) throw new AppError('IMPORT_INVALID', `${file}: broken JSON (the file ends inside a value)`);
}

/** Reads a small JSON file whole, naming the file when it is broken. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new AppError('IMPORT_INVALID', `${file}${line ? `, line ${line}` : ''}: broken JSON (${(error as Error).message})`);
  }
}

/** The `value` array of a small OData response file (or the object itself for a singleton like Properties). */
export function odataValues(raw: unknown, file: string): Record<string, unknown>[] {
  const value = (raw as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw new AppError('IMPORT_INVALID', `${file}: expected an OData response {"value": [...]}`);
  return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}
