/**
 * The one place where positions change units.
 *
 * libpg-query reports node locations as UTF-8 byte offsets into the string it parsed; the rest of the
 * core speaks in character offsets (UTF-16 code units, as JavaScript strings and LSP do). Editors and
 * reporters convert character offsets to line/character with {@link LineIndex}.
 */

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Maps UTF-8 byte offsets of one string to character offsets. */
export class ByteOffsetMap {
  private readonly byteToChar: Uint32Array | undefined;

  constructor(private readonly text: string) {
    if (ASCII_ONLY.test(text)) {
      this.byteToChar = undefined;
      return;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const map = new Uint32Array(bytes + 1);
    let b = 0;
    for (let c = 0; c < text.length; c++) {
      const code = text.codePointAt(c) ?? 0;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k++) map[b + k] = c;
      b += width;
      if (code >= 0x10000) c++; // surrogate pair: two UTF-16 units
    }
    map[b] = text.length;
    this.byteToChar = map;
  }

  /** true when bytes and characters coincide */
  get isAscii(): boolean {
    return this.byteToChar === undefined;
  }

  toChar(byteOffset: number): number {
    if (byteOffset < 0) return 0;
    if (!this.byteToChar) return Math.min(byteOffset, this.text.length);
    return this.byteToChar[Math.min(byteOffset, this.byteToChar.length - 1)];
  }
}

export interface LineCharacter {
  line: number;
  character: number;
}

/** Converts character offsets of a document to 0-based line/character positions (LSP style) and back. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      // the common case, with the engine's string search (several times faster than a loop over characters: the
      // language server indexes a large file after every edit)
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) starts.push(i + 1);
      else if (ch === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): LineCharacter {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return { line, character: o - this.lineStarts[line] };
  }

  /** Whether `offset` is at `position` (what `position(offset)` gives, without making it). */
  isAt(offset: number, position: LineCharacter): boolean {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return line === position.line && o - this.lineStarts[line] === position.character;
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The line of offset `o` (within the text). */
  private lineOf(o: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  offset(position: LineCharacter): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, position.line)];
    const nextStart = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, position.character), nextStart);
  }
}
