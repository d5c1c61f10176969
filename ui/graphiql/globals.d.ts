// The globals that index.html's UMD builds leave for graphiql.js: only what it uses.
declare const React: {
  createElement(type: unknown, props?: Record<string, unknown>): unknown;
};
declare const ReactDOM: {
  createRoot(container: Element): { render(element: unknown): void };
};
declare const GraphiQL: {
  createFetcher(options: { url: string; subscriptionUrl?: string }): unknown;
};
