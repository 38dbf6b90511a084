// Reads a file line by line in fixed-size chunks, with each line's byte offset, so that journals and
// shard CSVs of any length are read in constant memory. Lines split on '\n' (never inside a UTF-8
// sequence). Knows nothing of what the lines hold.
import { closeSync, openSync, readSync } from 'node:fs';

export interface Line {
  /** The line without its '\n'. */
  text: string;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Byte length including the '\n' (when present). */
  bytes: number;
  /** False for a last line that the file ends in the middle of (no '\n'). */
  complete: boolean;
}

const CHUNK_BYTES = 1 << 20;

export function* readLines(file: string): Generator<Line> {
  const fd = openSync(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (n === 0) break;
      position += n;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        yield {
          text: buf.toString('utf8', start, nl),
          offset: carryOffset + start,
          bytes: nl + 1 - start,
          complete: true,
        };
        start = nl + 1;
      }
      carryOffset += start;
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length) yield { text: carry.toString('utf8'), offset: carryOffset, bytes: carry.length, complete: false };
  } finally {
    closeSync(fd);
  }
}
