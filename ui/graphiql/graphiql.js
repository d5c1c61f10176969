// GraphiQL for Guanxi's /graphql, from the UMD builds index.html loads (globals React,
// ReactDOM, GraphiQL). A token handed over in the address (`/graphql#token=…`, the link the
// server logs in demo mode with its development token) goes into the Headers tab as
// `Authorization: Bearer …` and out of the address bar and history; the token never comes
// in a response of the server. Headers are kept in this tab's storage (sessionStorage), so a
// reload keeps them and closing the tab forgets them.
"use strict";

(function () {
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

  const token = takeTokenFromAddress();
  // without a token in the address, GraphiQL takes the headers it kept in `storage`
  const headers = token ? JSON.stringify({ Authorization: "Bearer " + token }, null, 2) : undefined;

  const websocket = new URL(url);
  websocket.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: websocket.toString() });

  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
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
