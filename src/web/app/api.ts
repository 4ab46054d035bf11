/** The API client: JSON over fetch, the session cookie, CSRF on writes, problem+json errors. */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldProblem[],
  ) {
    super(detail ?? title);
  }
}

let csrfToken = '';
let language = 'zh-CN';
let onUnauthenticated: () => void = () => {};
let onVersionConflict: () => void = () => {};

export const setCsrfToken = (token: string) => {
  csrfToken = token;
};
export const setApiLanguage = (lng: string) => {
  language = lng;
};
export const setUnauthenticatedHandler = (fn: () => void) => {
  onUnauthenticated = fn;
};
/** Someone else saved the record first: the shell reloads what is on screen. */
export const setVersionConflictHandler = (fn: () => void) => {
  onVersionConflict = fn;
};

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = {
    ...extraHeaders,
    'accept-language': language,
    accept: 'application/json',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = parse(text);
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; title?: string; detail?: string; errors?: FieldProblem[] };
    const error = new ApiError(
      res.status,
      p.code ?? 'internal',
      p.title ?? res.statusText,
      p.detail,
      p.errors ?? [],
    );
    if (res.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated();
    if (error.code === 'version_conflict') onVersionConflict();
    throw error;
  }
  if (data && typeof data === 'object' && 'csrfToken' in data) setCsrfToken(String(data.csrfToken));
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  /** `headers` e.g. an `Idempotency-Key` for money and stock writes. */
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    request<T>('POST', path, body, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}
