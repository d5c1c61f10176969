// @ts-check
/** The cytoscape stylesheet: tiers by colour, strength by line width, gaps by border. */

import { GROUP_PADDING } from "./layout.js";

/** Tier colours, closest first; map.css uses the same ones for the legend. */
export const TIER_COLOURS = {
  CONFIDANT: "#c0392b",
  FRIEND: "#e67e22",
  ACQUAINTANCE: "#2e86c1",
  PASSER_BY: "#95a5a6",
};

/** @type {import("cytoscape").StylesheetJson} */
export const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": "150px",
      "font-size": 12,
      "text-valign": "bottom",
      "text-margin-y": 4,
      width: 26,
      height: 26,
      "background-color": "#cbd5e1",
      "border-width": 1,
      "border-color": "#64748b",
    },
  },
  {
    selector: "node.group",
    style: {
      "text-valign": "top",
      "font-weight": "bold",
      "font-size": 13,
      "background-color": "#f8fafc",
      "background-opacity": 0.6,
      "border-color": "#cbd5e1",
      "border-style": "solid",
      padding: `${GROUP_PADDING}px`,
      shape: "round-rectangle",
    },
  },
  { selector: "node.group.ours", style: { "background-color": "#eef6ee" } },
  { selector: "node.person.ours", style: { "background-color": "#2f855a", shape: "ellipse" } },
  { selector: "node.their", style: { "background-color": "#e2e8f0" } },
  {
    selector: "node.key",
    style: { shape: "star", width: 36, height: 36, "background-color": "#1e293b" },
  },
  // two channels, so that both show at once: uncovered is the fill, single-threaded the ring
  { selector: "node.uncovered", style: { "background-color": "#dc2626" } },
  {
    selector: "node.single",
    style: { "border-width": 5, "border-color": "#f59e0b", "border-style": "double" },
  },
  {
    selector: "edge",
    style: { "curve-style": "bezier", width: 2, "line-color": "#94a3b8", opacity: 0.85 },
  },
  { selector: "edge.tie", style: { width: "data(width)" } },
  ...Object.entries(TIER_COLOURS).map(([tier, colour]) => ({
    selector: `edge.tier-${tier}`,
    style: { "line-color": colour },
  })),
  {
    selector: "edge.reports",
    style: {
      "line-style": "dashed",
      "line-color": "#94a3b8",
      "target-arrow-shape": "triangle",
      "target-arrow-color": "#94a3b8",
      "curve-style": "taxi",
      "taxi-direction": "horizontal",
    },
  },
  {
    selector: "edge.referral",
    style: {
      "target-arrow-shape": "triangle",
      "target-arrow-color": "#64748b",
      label: "data(label)",
      "font-size": 10,
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 1,
    },
  },
  { selector: "node.party.company", style: { shape: "round-rectangle" } },
  { selector: "node.root", style: { "background-color": "#1e293b", width: 40, height: 40 } },
  { selector: "node.upstream", style: { "background-color": "#7c3aed" } },
  { selector: "node.downstream", style: { "background-color": "#0d9488" } },
  { selector: "node.target", style: { shape: "star", width: 36, height: 36 } },
  { selector: "node.intermediary", style: { "background-color": "#94a3b8" } },
  { selector: "node.best, node.chosen", style: { "underlay-color": "#facc15", "underlay-opacity": 0.7, "underlay-padding": 6 } },
  { selector: "edge.best, edge.chosen", style: { "underlay-color": "#facc15", "underlay-opacity": 0.5, "underlay-padding": 5 } },
  {
    selector: "edge.hop",
    style: { width: 3, "line-color": "#1e293b", "target-arrow-shape": "triangle", "target-arrow-color": "#1e293b" },
  },
  { selector: "edge.dashed", style: { "line-style": "dashed" } },
  { selector: "node.step", style: { "underlay-color": "#2563eb", "underlay-opacity": 0.35, "underlay-padding": 7 } },
  { selector: "edge.step", style: { "underlay-color": "#2563eb", "underlay-opacity": 0.35, "underlay-padding": 4, opacity: 1 } },
  { selector: ":selected", style: { "overlay-color": "#2563eb", "overlay-opacity": 0.25 } },
  { selector: ".faded", style: { opacity: 0.15 } },
];
