// Talks to the gateway's own /api/v1 (OpenWhisk's REST API) and /admin/fleet, from the browser.
// Credentials live in sessionStorage only (gone when the tab closes) and travel in the Authorization header,
// never in a URL.

const AUTH = 'wisp.auth';
const ADMIN = 'wisp.adminToken';
const NAMESPACE = 'wisp.namespace';

/** An answer that is not a success, carrying the API's own message and request code. */
export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  auth: () => sessionStorage.getItem(AUTH),
  adminToken: () => sessionStorage.getItem(ADMIN),
  namespace: () => sessionStorage.getItem(NAMESPACE),
  signIn: (auth) => sessionStorage.setItem(AUTH, auth),
  setNamespace: (name) => sessionStorage.setItem(NAMESPACE, name),
  setAdminToken: (token) => token ? sessionStorage.setItem(ADMIN, token) : sessionStorage.removeItem(ADMIN),
  signOut: () => [AUTH, ADMIN, NAMESPACE].forEach(key => sessionStorage.removeItem(key)),
};

/** The uuid:key form OpenWhisk's wsk and the admin command print. */
export function validAuth(auth) {
  return /^[^:\s]+:[^\s]+$/.test(auth);
}

function basic(auth) {
  const bytes = new TextEncoder().encode(auth);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

/**
 * One request. Resolves with {status, body, headers} for 2xx (and for the statuses in `accept`), rejects with an
 * ApiError otherwise. `auth` overrides the session's credentials (sign-in checks them before keeping them).
 */
export async function request(method, path, { body, auth, bearer, accept = [], idempotencyKey } = {}) {
  const headers = { Accept: 'application/json' };
  if (idempotencyKey) {
    headers['Idempotency-Key'] = idempotencyKey;
  }
  if (bearer) {
    headers.Authorization = 'Bearer ' + bearer;
  } else if (auth || session.auth()) {
    headers.Authorization = basic(auth || session.auth());
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const init = {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store', redirect: 'error',
  };
  let res;
  try {
    res = await fetch(path, init).catch(e => {
      // the browser drops requests in flight when the host's network changes (Docker adds an interface for each
      // new container); a read, or an invoke with an idempotency key, is safe to send once more
      if (method !== 'GET' && !idempotencyKey) {
        throw e;
      }
      return new Promise(resolve => setTimeout(resolve, 250)).then(() => fetch(path, init));
    });
  } catch (e) {
    throw new ApiError(0, 'The gateway did not answer: ' + e.message, null);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (res.ok || accept.includes(res.status)) {
    return { status: res.status, body: json, headers: res.headers };
  }
  const message = json && typeof json.error === 'string' ? json.error
    : `HTTP ${res.status}${text ? ': ' + text.slice(0, 200) : ''}`;
  const code = (json && json.code) || res.headers.get('X-Request-ID');
  throw new ApiError(res.status, message, code);
}

const NS = '/api/v1/namespaces/_';

/** Random hex (crypto.randomUUID needs a secure context; a console on plain http elsewhere than localhost is not). */
function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), b => b.toString(16).padStart(2, '0')).join('');
}

/** The path of an entity; a packaged name `pkg/name` keeps its slash. */
export function entityPath(collection, name) {
  const encoded = name ? '/' + name.split('/').map(encodeURIComponent).join('/') : '';
  return `${NS}/${collection}${encoded}`;
}

export const api = {
  namespaces: (auth) => request('GET', '/api/v1/namespaces', { auth }).then(r => r.body),
  info: () => request('GET', '/').then(r => r.body),
  list: (collection, query = '') => request('GET', entityPath(collection) + query).then(r => r.body),
  get: (collection, name) => request('GET', entityPath(collection, name)).then(r => r.body),
  put: (collection, name, body) =>
    request('PUT', entityPath(collection, name) + '?overwrite=true', { body }).then(r => r.body),
  remove: (collection, name) => request('DELETE', entityPath(collection, name)).then(r => r.body),
  /**
   * A blocking invoke: 200 and 502 both carry the activation; 202 carries only its id (it ran longer). Its
   * idempotency key makes a resend after a dropped connection answer with the same activation, not run again.
   */
  invoke: (name, params) => request('POST', entityPath('actions', name) + '?blocking=true',
    { body: params, accept: [502], idempotencyKey: 'console-' + randomHex(16) }),
  activation: (id) => request('GET', `${NS}/activations/${encodeURIComponent(id)}`).then(r => r.body),
  activations: (name, limit = 30) => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (name) {
      q.set('name', name);
    }
    return request('GET', `${NS}/activations?${q}`).then(r => r.body);
  },
  fleet: () => request('GET', '/admin/fleet', { bearer: session.adminToken() }).then(r => r.body),
};
