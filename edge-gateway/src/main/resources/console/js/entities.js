// Triggers, rules and packages: lists and a read-only view of one.
import { api } from './api.js';
import { h, fill, table, pretty, ago, link } from './dom.js';

const COLUMNS = {
  triggers: ['name', 'version', 'updated'],
  rules: ['name', 'trigger', 'action', 'status', 'updated'],
  packages: ['name', 'binding', 'shared', 'updated'],
};

function ref(r) {
  if (!r) {
    return '';
  }
  return typeof r === 'string' ? r : `${r.namespace ? '/' + r.namespace + '/' : ''}${r.name}`;
}

function cells(collection, e) {
  const name = link(`/${collection}/${e.name}`, e.name);
  switch (collection) {
    case 'rules':
      return [name, ref(e.trigger), ref(e.action), e.status || '', ago(e.updated)];
    case 'packages':
      return [name, e.binding ? ref(e.binding) : '', e.publish ? 'yes' : 'no', ago(e.updated)];
    default:
      return [name, e.version, ago(e.updated)];
  }
}

export async function list(view, collection) {
  const items = await api.list(collection, '?limit=200');
  const title = collection[0].toUpperCase() + collection.slice(1);
  fill(view, h('div', { class: 'heading' }, h('h1', {}, title)),
    table(COLUMNS[collection], items.map(e => cells(collection, e)),
      { empty: `No ${collection} yet.`, testid: collection }));
}

export async function detail(view, collection, name) {
  const e = await api.get(collection, name);
  const kv = list => (list || []).map(p => [h('dt', {}, p.key), h('dd', {}, JSON.stringify(p.value))]);
  const sections = [];
  if (collection === 'packages') {
    sections.push(h('section', { class: 'card' }, h('h2', {}, 'Actions'),
      table(['name', 'version'], (e.actions || []).map(a => [link(`/actions/${name}/${a.name}`, a.name), a.version]),
        { empty: 'This package has no actions.' })));
  }
  if (collection === 'rules') {
    sections.push(h('section', { class: 'card' }, h('dl', { class: 'facts' },
      h('dt', {}, 'trigger'), h('dd', {}, ref(e.trigger)), h('dt', {}, 'action'), h('dd', {}, ref(e.action)),
      h('dt', {}, 'status'), h('dd', {}, e.status || ''))));
  }
  if ((e.parameters || []).length) {
    sections.push(h('section', { class: 'card' }, h('h2', {}, 'Parameters'), h('dl', { class: 'facts' }, kv(e.parameters))));
  }
  fill(view, h('div', { class: 'heading' }, h('h1', {}, name), h('span', { class: 'muted' },
    `${collection.slice(0, -1)} · version ${e.version}`)), sections,
  h('details', { class: 'card', open: true }, h('summary', {}, 'Record'), pretty(e)));
}
