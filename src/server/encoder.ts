/**
 * The JSON encoding of the messages the language server writes to a stream (`--stdio`). The same as
 * vscode-jsonrpc's (`JSON.stringify`, then the charset's bytes), except for `textDocument/publishDiagnostics`: the
 * bytes of each diagnostic are kept with the Diagnostic object and written again when the object is published
 * again. After an edit in a large file almost every diagnostic is the same object as before
 * (./convert.ts `DiagnosticConverter`), and encoding 4,000 diagnostics (2 MB) was a third of the server's time per
 * edit. Those before and after the edited statements are also where they were in the document's last message:
 * their bytes are copied from it in two pieces (`LastPublished`). test/server/encoder.test.ts checks the output
 * against `JSON.stringify`.
 */
import type { ContentTypeEncoder, Message } from 'vscode-languageserver/node';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';

export function diagnosticsEncoder(): ContentTypeEncoder {
  const bytes = new WeakMap<object, Buffer>();
  const last = new LastPublished();
  return {
    name: 'application/json',
    encode: (msg, options) => {
      try {
        return Promise.resolve(encodeMessage(msg, (options.charset ?? 'utf-8') as BufferEncoding, bytes, last));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

/** The diagnostics last published for a document, and where each one's bytes are in the message written. */
interface Published {
  diagnostics: readonly object[];
  /** the message written (never modified) */
  message: Buffer;
  /** byte offset in `message` of each diagnostic's JSON (they are separated by one comma) */
  starts: Int32Array;
  /** where the last diagnostic's JSON ends */
  end: number;
}

/**
 * The last publishDiagnostics of each document (the few most recent documents). After an edit, the diagnostics
 * before and after the edited statements are the same objects in the same order: their bytes are copied from the
 * last message in two pieces, instead of being looked up and joined one by one (3,840 diagnostics, 1.7 MB).
 */
export class LastPublished {
  private readonly byUri = new Map<string, Published>();

  get(uri: string): Published | undefined {
    return this.byUri.get(uri);
  }

  set(uri: string, published: Published): void {
    this.byUri.delete(uri);
    this.byUri.set(uri, published);
    // (a bound on the memory kept: a message for each of the documents published last)
    if (this.byUri.size > LAST_PUBLISHED_DOCUMENTS) this.byUri.delete(this.byUri.keys().next().value as string);
  }
}

const LAST_PUBLISHED_DOCUMENTS = 8;

export function encodeMessage(msg: Message, charset: BufferEncoding, bytes: WeakMap<object, Buffer>, last?: LastPublished): Buffer {
  const diagnostics = publishedDiagnostics(msg);
  if (!diagnostics) return Buffer.from(JSON.stringify(msg), charset);
  const { params, ...envelope } = msg as Message & { params: { diagnostics: object[]; uri?: unknown } };
  const head = JSON.stringify(envelope);
  // the other fields of params (uri, version), as JSON.stringify writes them
  const fields = JSON.stringify(params, function (this: unknown, key: string, value: unknown) {
    return this === params && key === 'diagnostics' ? undefined : value;
  });
  const opening = Buffer.from(`${head.slice(0, -1)},"params":${fields.slice(0, -1)}${fields.length > 2 ? ',' : ''}"diagnostics":[`, charset);
  const closing = Buffer.from(']}}', charset);
  const comma = Buffer.from(',', charset);
  const uri = typeof params.uri === 'string' ? params.uri : undefined;
  const before = uri !== undefined ? last?.get(uri) : undefined;
  const n = diagnostics.length;
  // the diagnostics that are the same objects as the first and the last of the last message
  let prefix = 0;
  let suffix = 0;
  if (before) {
    const old = before.diagnostics;
    const most = Math.min(n, old.length);
    while (prefix < most && diagnostics[prefix] === old[prefix]) prefix++;
    while (suffix < most - prefix && diagnostics[n - 1 - suffix] === old[old.length - 1 - suffix]) suffix++;
  }
  // the pieces of the message, and where each diagnostic starts
  const pieces: Buffer[] = [opening];
  const starts = new Int32Array(n);
  let at = opening.length;
  /** Adds a piece after a comma (but the first); gives back where it starts. */
  const add = (piece: Buffer): number => {
    if (pieces.length > 1) {
      pieces.push(comma);
      at += comma.length;
    }
    const start = at;
    pieces.push(piece);
    at += piece.length;
    return start;
  };
  if (before && prefix > 0) {
    const from = before.starts[0];
    const start = add(before.message.subarray(from, prefix < before.diagnostics.length ? before.starts[prefix] - comma.length : before.end));
    for (let i = 0; i < prefix; i++) starts[i] = before.starts[i] - from + start;
  }
  for (let i = prefix; i < n - suffix; i++) {
    const d = diagnostics[i];
    let b = bytes.get(d);
    if (!b) {
      b = Buffer.from(JSON.stringify(d), charset);
      bytes.set(d, b);
    }
    starts[i] = add(b);
  }
  if (before && suffix > 0) {
    const first = before.diagnostics.length - suffix;
    const from = before.starts[first];
    const start = add(before.message.subarray(from, before.end));
    for (let i = 0; i < suffix; i++) starts[n - suffix + i] = before.starts[first + i] - from + start;
  }
  const end = at;
  pieces.push(closing);
  const message = Buffer.concat(pieces, at + closing.length);
  if (uri !== undefined && last) last.set(uri, { diagnostics, message, starts, end });
  return message;
}

/** The diagnostics of a publishDiagnostics notification whose envelope is plain JSON (else undefined). */
function publishedDiagnostics(msg: Message): object[] | undefined {
  const m = msg as Message & { method?: unknown; params?: unknown; id?: unknown };
  if (m.method !== PUBLISH_DIAGNOSTICS || m.id !== undefined) return undefined;
  const params = m.params as { diagnostics?: unknown } | undefined;
  if (!params || typeof params !== 'object' || Array.isArray(params) || !Array.isArray(params.diagnostics)) return undefined;
  if (!params.diagnostics.every((d) => d !== null && typeof d === 'object' && typeof (d as { toJSON?: unknown }).toJSON !== 'function')) return undefined;
  return params.diagnostics as object[];
}
