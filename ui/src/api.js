// @ts-check
/**
 * The GraphQL client: POST /graphql with the signed-in token; errors become ApiError.
 * Each of the page's operations is sent by its id (`documentId`, documents.js), which the server
 * looks up among its trusted documents (docs/TRUSTED_DOCUMENTS.md), so the page works where the
 * server runs only those (GUANXI_TRUSTED_DOCUMENTS=only). A server that does not know the id
 * (trusted documents off) answers PERSISTED_QUERY_NOT_FOUND: the page then sends the text once.
 */

import { DOCUMENT_IDS } from "./documents.js";

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

/** @typedef {{data?: unknown, errors?: {message: string, extensions?: {code?: string}}[]}} Body */

/** @type {Readonly<Record<string, string>>} */
const IDS = DOCUMENT_IDS;

/**
 * The id the server knows the document by, found by its operation's name; null for a document
 * that is not one of the page's (a test's, say): that one is sent as text.
 * @param {string} query
 */
export function documentIdOf(query) {
  const name = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1];
  return (name && IDS[name]) || null;
}

/**
 * Run one GraphQL operation and return its data.
 * @template T
 * @param {string} query  one of queries.js
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<T>}
 */
export async function graphql(query, variables = {}) {
  const token = storedToken();
  if (!token) throw new ApiError("Sign in first.", "UNAUTHENTICATED");
  const documentId = documentIdOf(query);
  let { response, body } = await post(
    token,
    documentId ? { documentId, variables } : { query, variables },
  );
  if (documentId && body.errors?.[0]?.extensions?.code === "PERSISTED_QUERY_NOT_FOUND") {
    ({ response, body } = await post(token, { query, variables }));
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? null);
  if (!body.data) throw new ApiError(`The server answered ${response.status} with no data.`, null);
  return /** @type {T} */ (body.data);
}

/**
 * One POST to the endpoint, and the GraphQL response it answered.
 * @param {string} token
 * @param {Record<string, unknown>} payload
 * @returns {Promise<{response: Response, body: Body}>}
 */
async function post(token, payload) {
  let response;
  try {
    response = await fetch("../graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/graphql-response+json, application/json",
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new ApiError("The server cannot be reached.", "NETWORK");
  }
  try {
    return { response, body: await response.json() };
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, null);
  }
}
