// Building pages from meeting data. People's names, reasons and opinions are user text:
// they only ever go into the page as text nodes (textContent), never through innerHTML.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden", "type", "rows"]);

/** h("li", {class: "x", dataset: {id}, onclick: f}, "text", child…) — an element, text escaped by construction. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = String(value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Set text only when it changed, so a ticking screen does not relayout for nothing. */
export function setText(el, text) {
  const s = String(text ?? "");
  if (el && el.textContent !== s) el.textContent = s;
}

export function show(el, visible) {
  if (el) el.hidden = !visible;
}

/** For the rare place where a string must become HTML source (none of the pages need it today). */
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Keep one node per key across renders: a summary or explanation being typed survives the
 * next broadcast. `create(item)` makes a node once, `update(node, item)` refreshes it.
 */
export function keyed(container, items, keyOf, create, update) {
  const old = new Map([...container.children].map((n) => [n.dataset.key, n]));
  const nodes = items.map((item) => {
    const key = String(keyOf(item));
    let node = old.get(key);
    if (!node) {
      node = create(item);
      node.dataset.key = key;
    }
    old.delete(key);
    update(node, item);
    return node;
  });
  old.forEach((n) => n.remove());
  nodes.forEach((n, i) => {
    if (container.children[i] !== n) container.insertBefore(n, container.children[i] || null);
  });
}

/** An input's value, unless the person is typing in it: then leave it alone. */
export function syncValue(input, value) {
  if (document.activeElement !== input && !input.dataset.dirty) input.value = value ?? "";
}

export function markDirty(input) {
  input.addEventListener("input", () => { input.dataset.dirty = "1"; });
}

/** Refill a <select> with [{value, text}], keeping the current choice when it is still there. */
export function fillSelect(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options.map((o) => {
    const option = document.createElement("option");
    option.value = o.value;
    option.textContent = o.text;
    return option;
  }));
  if (options.some((o) => o.value === chosen)) select.value = chosen;
}
