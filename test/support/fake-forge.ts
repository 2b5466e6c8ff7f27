/**
 * A real HTTP server on 127.0.0.1 that speaks the parts of the GitHub and GitLab REST APIs
 * `kmm-render comment` uses — list (paginated with `Link: rel="next"`), create, edit and
 * delete a pull request's comments — with their status codes: 401 without the token, 403
 * for a read-only token, 404 for another pull request, 422 (GitHub) or 400 (GitLab) for a
 * body over the limit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Flavor = 'github' | 'gitlab';

export interface StoredComment {
  id: number;
  body: string;
}

export interface FakeForge {
  readonly url: string;
  readonly flavor: Flavor;
  /** The comments of the one pull request the server knows, oldest first. */
  readonly comments: StoredComment[];
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface FakeForgeOptions {
  readonly flavor: Flavor;
  readonly token: string;
  /** A token that may read but not write (403). */
  readonly readOnlyToken?: string;
  readonly project: string;
  readonly number: number;
  /** Comments per page (GitHub's and GitLab's default is 20–30; small here to test paging). */
  readonly pageSize?: number;
  /** The body limit in characters (GitHub 65,536; GitLab 1,000,000). */
  readonly limit?: number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += (chunk as Buffer).toString('utf8');
  return text;
}

export async function startFakeForge(o: FakeForgeOptions): Promise<FakeForge> {
  const comments: StoredComment[] = [];
  const requests: string[] = [];
  const pageSize = o.pageSize ?? 2;
  const limit = o.limit ?? (o.flavor === 'github' ? 65_536 : 1_000_000);
  let nextId = o.flavor === 'github' ? 1_000_000_001 : 501;
  const base = o.flavor === 'github' ? `/repos/${o.project}/issues` : `/api/v4/projects/${encodeURIComponent(o.project)}/merge_requests`;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const token = o.flavor === 'github' ? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] : (req.headers['private-token'] as string | undefined);
    if (token !== o.token && token !== o.readOnlyToken) return send(res, 401, { message: o.flavor === 'github' ? 'Bad credentials' : '401 Unauthorized' });
    const writing = req.method !== 'GET';
    if (writing && token === o.readOnlyToken) {
      return send(res, 403, { message: o.flavor === 'github' ? 'Resource not accessible by integration' : '403 Forbidden' });
    }
    const listPath = o.flavor === 'github' ? `${base}/${o.number}/comments` : `${base}/${o.number}/notes`;
    const one = o.flavor === 'github' ? new RegExp(`^${base}/comments/(\\d+)$`) : new RegExp(`^${base}/${o.number}/notes/(\\d+)$`);
    const body = writing && req.method !== 'DELETE' ? (JSON.parse(await readBody(req)) as { body?: string }).body : undefined;
    if (body !== undefined && body.length > limit) {
      return o.flavor === 'github'
        ? send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${limit} characters)` }] })
        : send(res, 400, { message: { note: [`is too long (maximum is ${limit} characters)`] } });
    }
    if (url.pathname === listPath && req.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(pageSize, Number(url.searchParams.get('per_page') ?? pageSize));
      const slice = comments.slice((page - 1) * size, page * size).map((c) => ({ id: c.id, body: c.body, ...(o.flavor === 'gitlab' ? { system: false } : {}) }));
      const headers: Record<string, string> = {};
      if (page * size < comments.length) {
        const next = new URL(url.href);
        next.host = req.headers.host ?? next.host;
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.href}>; rel="next"`;
      }
      return send(res, 200, slice, headers);
    }
    if (url.pathname === listPath && req.method === 'POST') {
      const c = { id: nextId++, body: body ?? '' };
      comments.push(c);
      return send(res, 201, c);
    }
    const m = one.exec(url.pathname);
    const found = m ? comments.findIndex((c) => c.id === Number(m[1])) : -1;
    if (m && found >= 0 && (req.method === 'PATCH' || req.method === 'PUT') && req.method === (o.flavor === 'github' ? 'PATCH' : 'PUT')) {
      comments[found]!.body = body ?? '';
      return send(res, 200, comments[found]);
    }
    if (m && found >= 0 && req.method === 'DELETE') {
      comments.splice(found, 1);
      return send(res, 204, undefined);
    }
    return send(res, 404, { message: o.flavor === 'github' ? 'Not Found' : '404 Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: o.flavor === 'github' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/api/v4`,
    flavor: o.flavor,
    comments,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
