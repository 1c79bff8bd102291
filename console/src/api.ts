// The session (the token, in memory only) and the calls to the API through the edge.

/** What the console knows of the signed-in client; the token never leaves this module's memory. */
export interface Session {
  readonly token: string;
  readonly clientId: string;
  readonly tenant: string;
  readonly scopes: string[];
  /** When the token expires, ms since the epoch. */
  readonly expiresAt: number;
}

/** An RFC 9457 problem, as the edge and the services answer errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  error_description?: string;
}

/** A failed call: its HTTP status and the problem's detail as the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

type SessionListener = (session: Session | null, reason: string | null) => void;

let session: Session | null = null;
const listeners = new Set<SessionListener>();

export function currentSession(): Session | null {
  return session;
}

export function onSessionChange(listener: SessionListener): void {
  listeners.add(listener);
}

function setSession(next: Session | null, reason: string | null): void {
  session = next;
  for (const listener of listeners) listener(next, reason);
}

/**
 * Asks the token service for a token (client credentials, the secret as a form field so the
 * browser never caches it as HTTP credentials); throws an Error whose message says why not.
 */
export async function signIn(clientId: string, secret: string): Promise<void> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
  let response: Response;
  try {
    response = await fetch('/oauth/token', {
      method: 'POST',
      body,
      credentials: 'omit',
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new Error('the token service did not answer; try again');
  }
  const answer = (await response.json().catch(() => ({}))) as Problem & {
    access_token?: string;
    expires_in?: number;
  };
  if (!response.ok || !answer.access_token) {
    throw new Error(
      response.status === 401
        ? 'Sign-in refused: unknown client or wrong secret.'
        : `Sign-in failed: ${answer.detail ?? answer.error_description ?? response.status}`,
    );
  }
  const claims = decodeClaims(answer.access_token);
  setSession(
    {
      token: answer.access_token,
      clientId: String(claims.sub ?? clientId),
      tenant: String(claims.tenant ?? ''),
      scopes: String(claims.scope ?? '')
        .split(' ')
        .filter(Boolean),
      expiresAt: Date.now() + (answer.expires_in ?? 0) * 1000,
    },
    null,
  );
}

/** Forgets the token; `reason` is shown on the sign-in page. */
export function signOut(reason: string | null = null): void {
  if (session) setSession(null, reason);
}

function decodeClaims(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/** The Authorization header of the current session; signs out when there is none. */
export function authorization(): string {
  if (!session) throw new ApiError(401, 'not signed in');
  return `Bearer ${session.token}`;
}

/** A 401 means the token expired (or was refused): back to sign-in. */
export function expired(): ApiError {
  signOut('Your session expired; sign in again.');
  return new ApiError(401, 'session expired');
}

/**
 * Calls `/api/v1{path}` with the token; the JSON answer, or an ApiError with the problem's detail.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Authorization: authorization(),
    Accept: 'application/json',
  };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const method = init.method ?? 'GET';
  const request = (): Promise<Response> =>
    fetch(`/api/v1${path}`, {
      method,
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    // A read is safe to repeat once after a dropped connection; a write is not.
    if (method !== 'GET') throw new ApiError(0, 'the edge did not answer; try again');
    await new Promise((resolve) => setTimeout(resolve, 500));
    response = await request().catch(() => {
      throw new ApiError(0, `the edge did not answer (${(error as Error).message})`);
    });
  }
  if (response.status === 401) throw expired();
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ApiError(
      response.status,
      problem.detail ?? problem.title ?? `the API answered ${response.status}`,
    );
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
