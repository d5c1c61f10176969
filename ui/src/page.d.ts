/** The page's own shapes (not GraphQL results: those are generated, see results.d.ts). */

declare global {
  interface Window {
    /** cytoscape-fcose, loaded as a classic script (its UMD build) before the page's modules. */
    cytoscapeFcose?: import("cytoscape").Ext;
  }
}

/** A cytoscape element definition, as the pure builders in elements.js return them. */
export interface Element {
  group: "nodes" | "edges";
  data: Record<string, string | number | boolean | null> & { id: string };
  position?: { x: number; y: number };
  classes?: string;
}
