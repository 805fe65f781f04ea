/**
 * A minimal multipart/form-data reader for the one upload the dashboard takes
 * (the ESR member list): text fields and one small text file, all in memory
 * under the route's body limit. No dependency: @fastify/multipart streams
 * files to disk, which a list of a few MB does not need.
 *
 * Only what a browser sends is accepted: CRLF line ends, a boundary from the
 * Content-Type header, `Content-Disposition: form-data; name="..."` per part.
 * Anything else is a parse error (the route answers 400).
 */

export class MultipartError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

/** The boundary of a multipart Content-Type header. @throws MultipartError when absent or malformed. */
export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  const b = m?.[1] ?? m?.[2];
  if (!b) throw new MultipartError('no multipart boundary');
  return b;
}

/**
 * The parts of a body by field name (the first part of a name wins), each as UTF-8 text.
 * @throws MultipartError on a body that is not well-formed multipart.
 */
export function parseMultipart(body: Buffer, boundary: string): Record<string, string> {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('no multipart delimiter');
  for (;;) {
    pos += delimiter.length;
    // "--" after a delimiter closes the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return fields;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new MultipartError('malformed delimiter line');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new MultipartError('a part without headers');
    const headers = body.subarray(pos, headerEnd).toString('latin1');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('an unterminated part');
    const name = /content-disposition:\s*form-data;[^\r\n]*?\bname="([^"\r\n]{1,100})"/i.exec(headers)?.[1];
    if (name && !Object.hasOwn(fields, name)) fields[name] = body.subarray(headerEnd + 4, next).toString('utf8');
    pos = next + 2;
  }
}
