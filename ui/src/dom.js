// @ts-check
/** A tiny element builder: text always goes in as text, never as HTML. */

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @param {string} tag
 * @param {Record<string, string | boolean | ((event: Event) => void)>} [attributes]
 *   `on…` functions become listeners, `true` a bare attribute, `false` none
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") {
      if (!name.startsWith("on")) throw new Error(`${name}: a listener's name starts with "on"`);
      element.addEventListener(name.slice(2), value);
    }
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * The elements of a list, the conditional ones that are absent left out.
 * @param {(HTMLElement | null)[]} items
 * @returns {HTMLElement[]}
 */
export function present(items) {
  return items.filter((item) => item !== null);
}

/** Words for an enum value: DECISION_MAKER -> "decision maker". @param {string | null} value */
export function words(value) {
  return value ? value.toLowerCase().replaceAll("_", " ") : "";
}

/** A tier chip in its colour. @param {string} tier */
export function tierChip(tier) {
  return h("span", { class: `tier tier-${tier}` }, words(tier));
}

/** A strength as a percentage. @param {number} strength */
export function percent(strength) {
  return `${Math.round(strength * 100)}%`;
}
