// Building the editor's page: elements by id and made from parts, where text always goes in as
// text, never as markup. Shared by the page's modules.

/** @typedef {import('./page-types.js').Child} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined>} Attributes */

/**
 * The element with this id, of this type (HTMLElement unless told); a missing one is a fault of the page.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, prototype: T }} [type]
 * @returns {T}
 */
export function $(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof (type ?? HTMLElement))) throw new Error(`the page has no element #${id}${type ? ` of type ${type.name}` : ''}`);
  return /** @type {T} */ (el);
}

/** An input field by id. @param {string} id */
export const input = (id) => $(id, HTMLInputElement);

/**
 * Makes an element; text always goes in as text, never as markup. Attributes that are undefined,
 * null or false are left out; true is written as an empty attribute.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'hidden') el.hidden = true;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...nodes(children));
  return el;
}

/**
 * The parts as nodes, nested lists flattened; null, undefined and false left out (the DOM would print them).
 * @param {readonly Child[]} children
 * @returns {Node[]}
 */
function nodes(children) {
  /** @type {Node[]} */
  const out = [];
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) out.push(...nodes(child));
    else out.push(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return out;
}

/**
 * Replaces the content of an element.
 * @param {Element} el
 * @param {...Child} children
 */
export function fill(el, ...children) {
  el.replaceChildren(...nodes(children));
}

/** Text only for screen readers, e.g. which edition a "publicatie.pdf" link belongs to. @param {string} text */
export const srOnly = (text) => h('span', { class: 'visually-hidden' }, text);

/**
 * A short status line with its kind ("busy", "ok", "error"), spoken by the live region it is in.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {'' | 'busy' | 'ok' | 'error'} [kind]
 */
export function setStatus(el, text, kind = '') {
  el.textContent = text;
  if (kind) el.dataset.kind = kind;
  else delete el.dataset.kind;
}

/** A message of the service, shown as it is (the service writes them in English). @param {string} text */
export const serviceMessage = (text) =>
  h('p', { class: 'service-message' }, h('span', { class: 'label' }, 'Melding van de service: '), text);

/**
 * A heading of a notice with its icon ("✓ ", "✕ "), the icon hidden from screen readers.
 * @param {string} icon
 * @param {string} text
 */
export const noticeHeading = (icon, text) => h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), text);
