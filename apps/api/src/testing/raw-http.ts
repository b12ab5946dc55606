import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export type RawRequest = Readonly<{
  method: string;
  /** Sent as it is: percent-escapes, dots and all (no URL normalization, unlike fetch and supertest). */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer | string;
}>;

export type RawResponse = Readonly<{
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** How long the request took, from sending to the end of the answer. */
  ms: number;
}>;

/** An HTTP client for a server on this machine that sends requests byte for byte as a test wrote them. */
export type RawHttpClient = Readonly<{
  send: (raw: RawRequest) => Promise<RawResponse>;
  close: () => void;
}>;

/** Keeps up to `sockets` connections open to 127.0.0.1:`port`; a request taking over `timeoutMs` fails. */
export const rawHttpClient = (port: number, { sockets = 8, timeoutMs = 10_000 } = {}): RawHttpClient => {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    send: (raw) =>
      new Promise<RawResponse>((resolve, reject) => {
        const started = performance.now();
        // Node sends a DELETE's body with neither Content-Length nor chunking, so the server would read it as
        // the next request on the connection; a real client says how long the body is.
        const headers =
          raw.body === undefined
            ? raw.headers
            : { 'Content-Length': Buffer.byteLength(raw.body), ...raw.headers };
        const outgoing = request(
          { host: '127.0.0.1', port, agent, method: raw.method, path: raw.path, headers },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                text: Buffer.concat(chunks).toString('utf8'),
                ms: performance.now() - started,
              }),
            );
          },
        );
        outgoing.setTimeout(timeoutMs, () =>
          outgoing.destroy(new Error(`${raw.method} ${raw.path}: no answer within ${timeoutMs} ms`)),
        );
        outgoing.on('error', reject);
        outgoing.end(raw.body);
      }),
    close: () => agent.destroy(),
  };
};
