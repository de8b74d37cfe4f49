// Activations: the namespace's recent ones, filtered by name and outcome, refreshing; one in detail.
import { api } from './api.js';
import { h, fill, table, pretty, ago, ms, link } from './dom.js';
import { STATUSES, statusBadge, statusName, timing, timingView } from './activation.js';
import { logs } from './actions.js';

const filters = { name: '', status: '', live: true };

export async function list(view, ctx) {
  const name = h('input', { id: 'filter-name', type: 'search', placeholder: 'action name', value: filters.name,
    autocomplete: 'off' });
  const status = h('select', { id: 'filter-status' }, h('option', { value: '' }, 'any status'),
    [...STATUSES, 'trigger'].map(s => h('option', { value: s, selected: s === filters.status }, s)));
  const live = h('input', { id: 'live', type: 'checkbox', checked: filters.live });
  const rows = h('div', { id: 'activation-rows' });
  const stamp = h('span', { class: 'muted', role: 'status' });

  async function refresh() {
    const found = await ctx.guard(api.activations(filters.name.trim(), 100));
    if (!found) {
      return;
    }
    const shown = found.filter(a => !filters.status || statusName(a) === filters.status);
    fill(rows, table(['activation', 'name', 'status', 'start', 'wait', 'init', 'duration'], shown.map(a => {
      const t = timing(a);
      return [link('/activations/' + a.activationId, a.activationId), a.name, statusBadge(a), ago(a.start),
        ms(t.wait), t.init === undefined ? '' : ms(t.init), ms(t.duration)];
    }), { empty: 'No activations match.', testid: 'activations' }));
    fill(stamp, `updated ${new Date().toLocaleTimeString()}`);
  }

  let typing;
  name.addEventListener('input', () => {
    filters.name = name.value;
    clearTimeout(typing);
    typing = setTimeout(refresh, 300);
  });
  status.addEventListener('change', () => { filters.status = status.value; refresh(); });
  live.addEventListener('change', () => { filters.live = live.checked; });

  fill(view, h('div', { class: 'heading' }, h('h1', {}, 'Activations'), stamp),
    h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); refresh(); } },
      h('label', {}, 'Name', name), h('label', {}, 'Status', status),
      h('label', { class: 'check' }, live, 'live refresh')),
    rows);
  await refresh();
  ctx.every(3000, () => filters.live && refresh());
}

export async function detail(view, id) {
  const a = await api.activation(id);
  const t = timing(a);
  const facts = [
    ['name', a.name], ['namespace', a.namespace], ['version', a.version],
    ['start', new Date(a.start).toISOString()], ['end', a.end ? new Date(a.end).toISOString() : ''],
    ['status', statusBadge(a)], ['cause', a.cause || ''],
  ];
  fill(view,
    h('div', { class: 'heading' }, h('h1', {}, 'Activation'), h('code', { class: 'muted' }, a.activationId)),
    h('section', { class: 'card', 'data-testid': 'activation' },
      h('dl', { class: 'facts' }, facts.filter(f => f[1] !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      t.duration === undefined ? null : timingView(a),
      h('p', {}, link('/actions/' + actionPath(a), 'open the action'))),
    h('section', { class: 'card' }, h('h2', {}, 'Result'), pretty(a.response ? a.response.result : null)),
    h('section', { class: 'card' }, h('h2', {}, 'Logs'), logs(a.logs)),
    h('details', { class: 'card' }, h('summary', {}, 'Raw record'), pretty(a)));
}

/** The action's name as the API addresses it: its package (from the `path` annotation) and name. */
function actionPath(a) {
  const path = (a.annotations || []).find(x => x.key === 'path');
  if (path && typeof path.value === 'string') {
    const parts = path.value.split('/');
    return parts.slice(1).join('/');
  }
  return a.name;
}
