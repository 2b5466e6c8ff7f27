/**
 * Posting a review's comment parts to a pull request (`kmm-render comment`): list its
 * comments, then create, edit or delete so that it shows exactly these parts. I/O edge (the
 * network); what to do is decided by planCommentSync.
 */
import { OperationalError } from '../base/operational-error.js';
import type { Forge, ForgeTarget, Request } from './forges.js';
import { planCommentSync, type CommentOperation, type ExistingComment } from './plan-comment-sync.js';

/** A forge that answered with an error, or could not be reached. */
export class ForgeError extends OperationalError {}

const TIMEOUT_MS = 30_000;

/** The forge's own words about an error response (GitHub's and GitLab's shapes). */
function forgeMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown; errors?: { message?: string; code?: string; field?: string }[] };
    const details = (j.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' ')).filter(Boolean);
    const main = typeof j.message === 'string' ? j.message : typeof j.error === 'string' ? j.error : JSON.stringify(j.message ?? j);
    return details.length ? `${main}: ${details.join('; ')}` : main;
  } catch {
    return text.slice(0, 300) || '(no body)';
  }
}

/** The next page's URL from a `Link` header. */
function nextPage(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

export interface PostResult {
  readonly operations: readonly CommentOperation[];
}

/** Makes the pull request show `parts` under `marker`; throws ForgeError on a refusal. */
export async function postCommentParts(forge: Forge, target: ForgeTarget, parts: readonly string[], marker: string): Promise<PostResult> {
  const call = async (r: Request, what: string, body?: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(r.url, {
        method: r.method,
        headers: { ...forge.headers(target.token), 'user-agent': 'kmm-render', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify({ body }) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new ForgeError(`${forge.name}: cannot ${what} (${r.method} ${r.url}): ${(e as Error).message}`);
    }
    if (res.ok) return res;
    const said = forgeMessage(await res.text());
    const hint =
      res.status === 401
        ? 'the token is missing, expired or wrong'
        : res.status === 403
          ? forge.forbidden
          : res.status === 404
            ? `no such ${forge.pullRequest}, or the token cannot see it`
            : (res.status === 422 || res.status === 400) && body !== undefined
              ? `the ${forge.name} API refused a body of ${body.length} characters (${Buffer.byteLength(body)} bytes)`
              : '';
    throw new ForgeError(`${forge.name}: cannot ${what}: HTTP ${res.status}: ${said}${hint ? ` — ${hint}` : ''}`);
  };

  const existing: ExistingComment[] = [];
  for (let url: string | undefined = forge.list(target).url, pages = 0; url; pages++) {
    if (pages >= 1000) throw new ForgeError(`${forge.name}: more than 1000 pages of comments; giving up`);
    const res = await call({ method: 'GET', url }, `list the comments of ${forge.pullRequest} ${target.number}`);
    const page = (await res.json()) as { id: number | string; body?: string | null }[];
    for (const c of page) existing.push({ id: String(c.id), body: c.body ?? '' });
    url = nextPage(res.headers.get('link'));
  }
  const operations = planCommentSync(existing, parts, marker);
  for (const o of operations) {
    const of = `part ${o.part} of ${parts.length}`;
    if (o.op === 'create') await call(forge.create(target), `create the comment of ${of}`, o.body);
    else if (o.op === 'update') await call(forge.update(target, o.id), `edit comment ${o.id} (${of})`, o.body);
    else if (o.op === 'delete') await call(forge.remove(target, o.id), `delete comment ${o.id}, an earlier run's part ${o.part}`);
  }
  return { operations };
}
