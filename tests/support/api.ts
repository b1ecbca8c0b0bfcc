/** A small HTTP client for tests: real requests to a running server, bearer-token sessions. */
export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

let uniqueCounter = 0;
/** A value unique within the test run, for e-mail addresses and names. */
export const unique = (prefix = 'u') => `${prefix}${Date.now().toString(36)}${(++uniqueCounter).toString(36)}`;

export class ApiClient {
  token?: string;
  me?: any;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body ?? {});
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body ?? {});
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  /** Signs in and keeps the bearer token; throws when the server refuses. */
  async login(email: string, password: string) {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.data.token;
    this.me = res.body.data.user;
    return res.body.data;
  }
}

/** Asserts a 2xx answer and returns its `data`. */
export function ok<T = any>(res: ApiResponse, expected?: number): T {
  if (res.status < 200 || res.status > 299 || (expected && res.status !== expected)) {
    throw new Error(`expected ${expected ?? '2xx'}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body?.data as T;
}
