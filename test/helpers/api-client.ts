// Small helpers for talking to the running API in tests.
import { request, type IncomingHttpHeaders } from 'node:http';

/**
 * A GET on localhost:`port` with exactly the given headers and the bytes as sent: node:http
 * adds no Accept-Encoding of its own and decodes nothing, unlike fetch.
 */
export function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
export async function signIn(baseUrl: string, username = 'finance', password = 'demo'): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function loadRest(baseUrl: string, token: string | null, query: unknown): Promise<{ status: number; body: any }> {
  const url = new URL('/cubejs-api/v1/load', baseUrl);
  url.searchParams.set('query', JSON.stringify(query));
  const response = await fetch(url, { headers: token ? { authorization: token } : {} });
  return { status: response.status, body: await response.json() };
}

/** An answer's rows, unpacked from Cube's compact form (members once, rows as value lists) as @cubejs-client/core does. */
export function rowsOf(data: unknown): Record<string, unknown>[] {
  if (Array.isArray(data)) return data as Record<string, unknown>[];
  const { members, dataset } = data as { members: string[]; dataset: unknown[][] };
  return dataset.map((values) => Object.fromEntries(members.map((member, index) => [member, values[index]])));
}
