// @ts-check
/** The GraphQL client: POST /graphql with the signed-in token; errors become ApiError. */

const TOKEN_KEY = "guanxi.token";

/** An error to show the user: a GraphQL error message, or why the request failed. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {string | null} code  extensions.code, e.g. UNAUTHENTICATED
   */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** The token kept for this browser tab, if any. */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string | null} token  keep it for this tab (null forgets it) */
export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * A token handed over in the address (`#token=…`, as the server's start-up log prints it):
 * taken into the tab's storage and removed from the address bar and history.
 */
export function takeTokenFromAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (!token) return;
  storeToken(token);
  params.delete("token");
  const rest = params.toString();
  history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
}

/**
 * Run one GraphQL operation and return its data.
 * @template T
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<T>}
 */
export async function graphql(query, variables = {}) {
  const token = storedToken();
  if (!token) throw new ApiError("Sign in first.", "UNAUTHENTICATED");
  let response;
  try {
    response = await fetch("../graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("The server cannot be reached.", "NETWORK");
  }
  /** @type {{data?: T | null, errors?: {message: string, extensions?: {code?: string}}[]}} */
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, null);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? null);
  if (!body.data) throw new ApiError(`The server answered ${response.status} with no data.`, null);
  return body.data;
}
