/**
 * The forges `kmm-render comment` posts to, one entry each: where its CI says which pull
 * request runs, how to authenticate, and the REST endpoints for listing, creating, editing
 * and deleting the pull request's comments. Adding a forge is one entry.
 */

/** Which pull request, where, with which token. */
export interface ForgeTarget {
  readonly apiUrl: string;
  readonly token: string;
  /** GitHub: `owner/repo`; GitLab: the project id or its path. */
  readonly project: string;
  /** The pull request's number (GitLab: the merge request's iid). */
  readonly number: string;
}

export interface Request {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
}

export interface Forge {
  readonly name: string;
  /** What a pull request is called there, for messages. */
  readonly pullRequest: string;
  /** The environment variables it reads, for messages and docs/review.md. */
  readonly environment: string;
  /** The target from the CI's environment (and `--pull-request`), or what is missing. */
  readonly targetOf: (env: NodeJS.ProcessEnv, pullRequest: string | undefined, readEvent: (path: string) => string) => ForgeTarget | { missing: string };
  readonly headers: (token: string) => Record<string, string>;
  /** The first page of the pull request's comments, oldest first; later pages follow `Link: rel="next"`. */
  readonly list: (t: ForgeTarget) => Request;
  readonly create: (t: ForgeTarget) => Request;
  readonly update: (t: ForgeTarget, id: string) => Request;
  readonly remove: (t: ForgeTarget, id: string) => Request;
  /** What a 403 most likely means there. */
  readonly forbidden: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The pull request number of a GitHub Actions event file, if it is a pull request's. */
function pullRequestOfEvent(path: string | undefined, readEvent: (path: string) => string): string | undefined {
  if (!path) return undefined;
  try {
    const n = (JSON.parse(readEvent(path)) as { pull_request?: { number?: unknown } }).pull_request?.number;
    return typeof n === 'number' ? String(n) : undefined;
  } catch {
    return undefined;
  }
}

const github: Forge = {
  name: 'github',
  pullRequest: 'pull request',
  environment: 'GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com), the pull request from --pull-request or GITHUB_EVENT_PATH',
  targetOf(env, pullRequest, readEvent) {
    const number = pullRequest ?? pullRequestOfEvent(env.GITHUB_EVENT_PATH, readEvent);
    const missing = [!env.GITHUB_TOKEN && 'GITHUB_TOKEN', !env.GITHUB_REPOSITORY && 'GITHUB_REPOSITORY', !number && '--pull-request N (or a pull_request event in GITHUB_EVENT_PATH)'].filter(Boolean);
    if (missing.length) return { missing: missing.join(', ') };
    return { apiUrl: trimSlash(env.GITHUB_API_URL || 'https://api.github.com'), token: env.GITHUB_TOKEN!, project: env.GITHUB_REPOSITORY!, number: number! };
  },
  headers: (token) => ({ authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }),
  list: (t) => ({ method: 'GET', url: `${t.apiUrl}/repos/${t.project}/issues/${t.number}/comments?per_page=100` }),
  create: (t) => ({ method: 'POST', url: `${t.apiUrl}/repos/${t.project}/issues/${t.number}/comments` }),
  update: (t, id) => ({ method: 'PATCH', url: `${t.apiUrl}/repos/${t.project}/issues/comments/${id}` }),
  remove: (t, id) => ({ method: 'DELETE', url: `${t.apiUrl}/repos/${t.project}/issues/comments/${id}` }),
  forbidden:
    'the token may not write comments: give the workflow `permissions: pull-requests: write`; a pull request from a fork gets a read-only token (post from a `workflow_run` job instead, docs/review.md)',
};

const gitlab: Forge = {
  name: 'gitlab',
  pullRequest: 'merge request',
  environment: 'KMM_RENDER_GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID, the merge request from --pull-request or CI_MERGE_REQUEST_IID',
  targetOf(env, pullRequest) {
    const number = pullRequest ?? env.CI_MERGE_REQUEST_IID;
    const missing = [
      !env.KMM_RENDER_GITLAB_TOKEN && 'KMM_RENDER_GITLAB_TOKEN',
      !env.CI_API_V4_URL && 'CI_API_V4_URL',
      !env.CI_PROJECT_ID && 'CI_PROJECT_ID',
      !number && '--pull-request N (or CI_MERGE_REQUEST_IID)',
    ].filter(Boolean);
    if (missing.length) return { missing: missing.join(', ') };
    return { apiUrl: trimSlash(env.CI_API_V4_URL!), token: env.KMM_RENDER_GITLAB_TOKEN!, project: encodeURIComponent(env.CI_PROJECT_ID!), number: number! };
  },
  headers: (token) => ({ 'private-token': token }),
  list: (t) => ({ method: 'GET', url: `${t.apiUrl}/projects/${t.project}/merge_requests/${t.number}/notes?per_page=100&sort=asc&order_by=created_at` }),
  create: (t) => ({ method: 'POST', url: `${t.apiUrl}/projects/${t.project}/merge_requests/${t.number}/notes` }),
  update: (t, id) => ({ method: 'PUT', url: `${t.apiUrl}/projects/${t.project}/merge_requests/${t.number}/notes/${id}` }),
  remove: (t, id) => ({ method: 'DELETE', url: `${t.apiUrl}/projects/${t.project}/merge_requests/${t.number}/notes/${id}` }),
  forbidden: 'the token may not write notes: use a project or personal access token with the api scope and at least the Reporter role in KMM_RENDER_GITLAB_TOKEN (CI_JOB_TOKEN cannot post notes)',
};

export const FORGES: Readonly<Record<string, Forge>> = { github, gitlab };
