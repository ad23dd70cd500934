/**
 * The JSON encoding of the messages the language server writes to a stream (`--stdio`). The same as
 * vscode-jsonrpc's (`JSON.stringify`, then the charset's bytes), except for `textDocument/publishDiagnostics`: the
 * bytes of each diagnostic are kept with the Diagnostic object and written again when the object is published
 * again. After an edit in a large file almost every diagnostic is the same object as before
 * (./convert.ts `DiagnosticConverter`), and encoding 4,000 diagnostics (2 MB) was a third of the server's time per
 * edit. test/server/encoder.test.ts checks the output against `JSON.stringify`.
 */
import type { ContentTypeEncoder, Message } from 'vscode-languageserver/node';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';

export function diagnosticsEncoder(): ContentTypeEncoder {
  const bytes = new WeakMap<object, Buffer>();
  return {
    name: 'application/json',
    encode: (msg, options) => {
      try {
        return Promise.resolve(encodeMessage(msg, (options.charset ?? 'utf-8') as BufferEncoding, bytes));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

export function encodeMessage(msg: Message, charset: BufferEncoding, bytes: WeakMap<object, Buffer>): Buffer {
  const diagnostics = publishedDiagnostics(msg);
  if (!diagnostics) return Buffer.from(JSON.stringify(msg), charset);
  const { params, ...envelope } = msg as Message & { params: { diagnostics: object[] } };
  const head = JSON.stringify(envelope);
  // the other fields of params (uri, version), as JSON.stringify writes them
  const fields = JSON.stringify(params, function (this: unknown, key: string, value: unknown) {
    return this === params && key === 'diagnostics' ? undefined : value;
  });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"params":${fields.slice(0, -1)}${fields.length > 2 ? ',' : ''}"diagnostics":[`, charset)];
  const comma = Buffer.from(',', charset);
  diagnostics.forEach((d, i) => {
    let b = bytes.get(d);
    if (!b) {
      b = Buffer.from(JSON.stringify(d), charset);
      bytes.set(d, b);
    }
    if (i > 0) parts.push(comma);
    parts.push(b);
  });
  parts.push(Buffer.from(']}}', charset));
  return Buffer.concat(parts);
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
