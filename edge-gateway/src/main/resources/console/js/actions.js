// Actions: the list, one action's code and settings (create and edit), invoking it, its latency.
import { api, ApiError } from './api.js';
import { h, fill, table, pretty, ago, link, banner } from './dom.js';
import { statusBadge, timingView } from './activation.js';
import { latencyChart } from './chart.js';

const TEMPLATES = {
  nodejs: 'function main(params) {\n  const name = params.name || "world";\n  console.log(`greeting ${name}`);\n'
    + '  return { greeting: `Hello, ${name}!` };\n}\n',
  python: 'def main(args):\n    name = args.get("name", "world")\n    print(f"greeting {name}")\n'
    + '    return {"greeting": f"Hello, {name}!"}\n',
};

let kindsCache = null;

/** The kinds the server runs, from its info document, each family's default first. */
async function kinds() {
  if (!kindsCache) {
    const info = await api.info().catch(() => null);
    const all = [];
    for (const family of Object.values((info && info.runtimes) || {})) {
      const usable = family.filter(k => k.kind && !k.deprecated);
      all.push(...usable.filter(k => k.default), ...usable.filter(k => !k.default));
    }
    kindsCache = all.length ? all.map(k => k.kind) : ['nodejs:20', 'python:3.11'];
  }
  return kindsCache;
}

function kindOf(action) {
  const a = (action.annotations || []).find(x => x.key === 'exec');
  return (action.exec && action.exec.kind) || (a && a.value) || '';
}

export async function list(view) {
  const actions = await api.list('actions', '?limit=200');
  fill(view,
    h('div', { class: 'heading' }, h('h1', {}, 'Actions'),
      h('a', { class: 'button', href: '#/actions/~new', 'data-testid': 'new-action' }, 'New action')),
    table(['name', 'kind', 'version', 'memory', 'timeout', 'updated'], actions.map(a => {
      const name = a.namespace.includes('/') ? a.namespace.split('/').slice(1).join('/') + '/' + a.name : a.name;
      return [link('/actions/' + name, name), kindOf(a), a.version,
        a.limits ? `${a.limits.memory} MB` : '', a.limits ? `${a.limits.timeout / 1000} s` : '', ago(a.updated)];
    }), { empty: 'No actions yet. Create one with “New action”.', testid: 'actions' }));
}

/** One action (or a new one at #/actions/~new): its editor, the invoke panel and its latency chart. */
export async function detail(view, name, ctx) {
  const isNew = name === '~new';
  const [action, available] = await Promise.all([isNew ? null : api.get('actions', name), kinds()]);
  const kind = action ? kindOf(action) : available.find(k => k.startsWith('nodejs')) || available[0];
  const exec = (action && action.exec) || {};
  const editable = !exec.binary && exec.kind !== 'sequence' && exec.kind !== 'blackbox';

  const nameInput = h('input', { id: 'action-name', name: 'name', required: true, value: isNew ? '' : name,
    readonly: !isNew, pattern: '[A-Za-z0-9_@.\\-]+(/[A-Za-z0-9_@.\\-]+)?', autocomplete: 'off',
    placeholder: 'hello or mypackage/hello' });
  const kindSelect = h('select', { id: 'action-kind', name: 'kind' },
    [...new Set([kind, ...available])].filter(Boolean).map(k => h('option', { value: k, selected: k === kind }, k)));
  const code = h('textarea', { id: 'action-code', name: 'code', spellcheck: 'false', rows: 12, class: 'code',
    readonly: !editable, 'aria-label': 'code' });
  code.value = editable ? (exec.code !== undefined ? exec.code : template(kind))
    : (exec.binary ? '(binary code: upload it with the CLI)' : JSON.stringify(exec, null, 2));
  const limits = (action && action.limits) || { memory: 256, timeout: 60000 };
  const memory = h('input', { id: 'action-memory', type: 'number', min: 128, max: 512, step: 1,
    value: limits.memory });
  const timeout = h('input', { id: 'action-timeout', type: 'number', min: 0.1, max: 300, step: 0.1,
    value: limits.timeout / 1000 });
  kindSelect.addEventListener('change', () => {
    const before = template(kind);
    if (isNew && (code.value === before || code.value.trim() === '')) {
      code.value = template(kindSelect.value);
    }
  });
  code.addEventListener('keydown', e => {
    if (e.key === 'Tab' && !e.shiftKey && !code.readOnly) {
      e.preventDefault();
      code.setRangeText('  ', code.selectionStart, code.selectionEnd, 'end');
    }
  });
  const saved = h('span', { class: 'saved', role: 'status' });
  const editor = h('form', { class: 'card editor', 'data-testid': 'editor',
    onsubmit: async e => {
      e.preventDefault();
      banner.clear();
      const body = { exec: { kind: kindSelect.value, code: code.value },
        limits: { memory: Number(memory.value), timeout: Math.round(Number(timeout.value) * 1000) } };
      if (action) {
        body.parameters = action.parameters;
        body.annotations = (action.annotations || []).filter(a => a.key !== 'exec');
      }
      const target = isNew ? nameInput.value.trim() : name;
      const stored = await ctx.guard(api.put('actions', target, body));
      if (stored) {
        if (isNew) {
          location.hash = '#/actions/' + target;
        } else {
          fill(saved, `saved version ${stored.version}`);
        }
      }
    } },
  h('div', { class: 'row' },
    h('label', {}, 'Name', nameInput),
    h('label', {}, 'Kind', kindSelect),
    h('label', { class: 'narrow' }, 'Memory (MB)', memory),
    h('label', { class: 'narrow' }, 'Timeout (s)', timeout)),
  h('label', { class: 'block' }, 'Code', code),
  h('div', { class: 'actions-row' },
    h('button', { type: 'submit', id: 'save', disabled: !editable }, isNew ? 'Create' : 'Save'), saved,
    isNew ? null : h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (confirm(`Delete action ${name}?`) && await ctx.guard(api.remove('actions', name))) {
        location.hash = '#/actions';
      }
    } }, 'Delete')));

  const chart = h('div', { id: 'chart' }, h('p', { class: 'muted' }, 'loading…'));
  fill(view, h('div', { class: 'heading' }, h('h1', {}, isNew ? 'New action' : name),
    action ? h('span', { class: 'muted' }, `${kind} · version ${action.version}`) : null), editor,
  isNew ? null : invokePanel(name, ctx, id => refreshChart(chart, name, ctx, id)),
  isNew ? null : h('section', { class: 'card' }, h('h2', {}, 'Latency of recent activations'), chart));
  if (!isNew) {
    await refreshChart(chart, name, ctx);
  }
}

function template(kind) {
  return TEMPLATES[(kind || '').split(':')[0]] || '';
}

/**
 * Draws the chart of the action's recent activations; given the id of one just answered, asks again (a few times,
 * 300 ms apart) until the list holds it: behind several controllers, one that did not see its answer lists only
 * what the store has, and the invoker writes the record while the answer travels.
 */
async function refreshChart(box, name, ctx, awaited) {
  for (let attempt = 0; ; attempt++) {
    const recent = await ctx.guard(api.activations(name, 50));
    if (!recent) {
      return;
    }
    fill(box, latencyChart(recent));
    if (!awaited || attempt >= 10 || recent.some(a => a.activationId === awaited)) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
}

function invokePanel(name, ctx, invoked) {
  const params = h('textarea', { id: 'invoke-params', class: 'code', rows: 4, spellcheck: 'false',
    'aria-label': 'parameters (JSON)' });
  params.value = '{\n  "name": "Wisp"\n}';
  const out = h('div', { id: 'invoke-result', 'data-testid': 'invoke-result' });
  const button = h('button', { type: 'submit', id: 'invoke' }, 'Invoke');
  return h('form', { class: 'card', 'data-testid': 'invoke', onsubmit: async e => {
    e.preventDefault();
    banner.clear();
    let body;
    try {
      body = params.value.trim() ? JSON.parse(params.value) : {};
    } catch (err) {
      banner.show(new ApiError(0, 'The parameters are not JSON: ' + err.message, null));
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      banner.show(new ApiError(0, 'The parameters must be a JSON object, like {"name": "Wisp"}.', null));
      return;
    }
    button.disabled = true;
    fill(out, h('p', { class: 'muted' }, 'running…'));
    const answer = await ctx.guard(api.invoke(name, body));
    button.disabled = false;
    if (!answer) {
      fill(out);
      return;
    }
    if (answer.status === 202) {
      const id = answer.body.activationId;
      fill(out, h('p', {}, 'Still running; its record will be at ', link('/activations/' + id, id), '.'));
      return;
    }
    showActivation(out, answer.body);
    await invoked(answer.body.activationId);
  } },
  h('h2', {}, 'Invoke'),
  h('label', { class: 'block' }, 'Parameters (JSON)', params),
  h('div', { class: 'actions-row' }, button), out);
}

function showActivation(out, a) {
  fill(out,
    h('div', { class: 'result-head' }, statusBadge(a), ' ', link('/activations/' + a.activationId, a.activationId)),
    timingView(a),
    h('h3', {}, 'Result'), pretty(a.response ? a.response.result : a),
    h('h3', {}, 'Logs'), logs(a.logs));
}

export function logs(lines) {
  if (!lines || lines.length === 0) {
    return h('p', { class: 'empty' }, 'No log lines.');
  }
  return h('pre', { class: 'logs', 'data-testid': 'logs' }, lines.join('\n'));
}
