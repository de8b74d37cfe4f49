// Small DOM helpers: every piece of data reaches the page as text, never as markup.

/** Creates an element: h('a', {href: '#/x', class: 'y'}, 'text', child, [more children]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else {
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table from a header list and rows of cells; `onRow(row)` makes a row a link. */
export function table(headers, rows, { empty = 'Nothing here yet.', testid } = {}) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, empty);
  }
  return h('table', { class: 'list', 'data-testid': testid },
    h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(c => h('td', {}, c))))));
}

export function pretty(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

export function ago(epochMs) {
  if (!epochMs) {
    return '';
  }
  const s = Math.round((Date.now() - epochMs) / 1000);
  if (s < 60) {
    return `${Math.max(s, 0)} s ago`;
  }
  if (s < 3600) {
    return `${Math.round(s / 60)} min ago`;
  }
  if (s < 86400) {
    return `${Math.round(s / 3600)} h ago`;
  }
  return new Date(epochMs).toLocaleString();
}

export function ms(value) {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return '–';
  }
  if (value >= 1000) {
    return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)} s`;
  }
  return `${Math.round(value)} ms`;
}

/** The message banner: the API's error text with its request code. */
export const banner = {
  el: () => document.getElementById('error'),
  show(error) {
    const el = this.el();
    const code = error && error.code ? h('span', { class: 'code' }, `code ${error.code}`) : null;
    fill(el, h('strong', {}, error && error.status ? `${error.status} ` : ''), error.message || String(error), code,
      h('button', { type: 'button', class: 'close', 'aria-label': 'dismiss', onclick: () => this.clear() }, '×'));
    el.hidden = false;
  },
  clear() {
    this.el().hidden = true;
    this.el().replaceChildren();
  },
};

/** A link to a hash route. */
export function link(route, text) {
  return h('a', { href: '#' + route }, text);
}
