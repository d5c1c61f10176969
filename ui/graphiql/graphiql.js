// GraphiQL for Guanxi's /graphql, from the UMD builds index.html loads (globals React,
// ReactDOM, GraphiQL). A token handed over in the address (`/graphql#token=…`, the link the
// server logs in demo mode with its development token) goes into the Headers tab as
// `Authorization: Bearer …` and out of the address bar and history; the token never comes
// in a response of the server. The token is kept in this tab's storage (sessionStorage), as
// the map keeps it, so a reload keeps it and closing the tab forgets it.
"use strict";

(function () {
  const TOKEN_KEY = "guanxi.token"; // as ui/src/api.js
  const url = location.origin + location.pathname;

  /** The `#token=…` of the address, removed from it (and from the history). */
  function takeTokenFromAddress() {
    const params = new URLSearchParams(location.hash.slice(1));
    const token = params.get("token");
    if (!token) return null;
    params.delete("token");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
    return token;
  }

  // the tab's token: handed over in the address, or earlier in this tab (here or on the map,
  // which keeps it under the same key); GraphiQL opens a tab with it in its headers
  const handed = takeTokenFromAddress();
  if (handed) sessionStorage.setItem(TOKEN_KEY, handed);
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = token
    ? JSON.stringify({ Authorization: "Bearer " + token }, null, 2)
    : undefined;

  const websocket = new URL(url);
  websocket.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: websocket.toString() });

  const container = /** @type {HTMLElement} */ (document.getElementById("graphiql"));
  const root = ReactDOM.createRoot(container);
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      storage: sessionStorage, // per tab, not localStorage: the headers hold a secret
      headers,
      shouldPersistHeaders: true,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: token ? "headers" : true,
      inputValueDeprecation: true,
    }),
  );
})();
