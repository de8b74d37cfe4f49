// The latency chart of one action: a stacked bar per recent activation (wait, init, run), oldest on the left,
// drawn as inline SVG.
import { h, ms } from './dom.js';
import { timing, statusName } from './activation.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 200;
const PAD = { left: 56, right: 12, top: 12, bottom: 24 };

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

/** A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten. */
function niceMax(value) {
  const top = Math.max(value, 1);
  const power = Math.pow(10, Math.floor(Math.log10(top)));
  for (const f of [1, 2, 2.5, 5, 10]) {
    if (f * power >= top) {
      return f * power;
    }
  }
  return 10 * power;
}

function percentile(sorted, p) {
  if (sorted.length === 0) {
    return undefined;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The chart and its summary for a list of activations (any order; triggers are left out). */
export function latencyChart(activations) {
  const points = activations.filter(a => statusName(a) !== 'trigger')
    .sort((a, b) => a.start - b.start).map(a => ({ a, t: timing(a) }));
  if (points.length === 0) {
    return h('p', { class: 'empty' }, 'No activations yet: invoke the action to see its latency.');
  }
  const totals = points.map(p => (p.t.wait || 0) + (p.t.duration || 0));
  const max = niceMax(Math.max(...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = v => PAD.top + plotH - (v / max) * plotH;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
    'aria-label': `latency of the last ${points.length} activations` });
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, ms(v)));
  }
  const slot = plotW / points.length;
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  points.forEach((p, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const g = s('g', { class: p.a.response && !p.a.response.success ? 'failed' : '' });
    for (const [part, value] of [['wait', p.t.wait], ['init', p.t.init], ['run', p.t.run]]) {
      const v = value || 0;
      // a run under a millisecond reads 0 ms: it still gets its sliver, so that every activation shows
      if (v > 0 || part === 'run') {
        g.append(s('rect', { x, width: barW, y: y(base + v), height: Math.max(1, y(base) - y(base + v)),
          class: `bar-${part}` }));
      }
      base += v;
    }
    g.append(s('title', {}, `${new Date(p.a.start).toLocaleTimeString()}  ${statusName(p.a)}\n`
      + `wait ${ms(p.t.wait)}, init ${ms(p.t.init)}, run ${ms(p.t.run)}`));
    svg.append(g);
  });
  svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: 'baseline' }));
  svg.append(s('text', { x: PAD.left, y: H - 6, class: 'axis' }, 'older'));
  svg.append(s('text', { x: W - PAD.right, y: H - 6, class: 'axis', 'text-anchor': 'end' }, 'newer'));

  const sorted = [...totals].sort((a, b) => a - b);
  const cold = points.filter(p => p.t.cold).length;
  const legend = h('div', { class: 'legend' },
    h('span', { class: 'key key-wait' }, 'wait'), h('span', { class: 'key key-init' }, 'init'),
    h('span', { class: 'key key-run' }, 'run'),
    h('span', { class: 'summary' }, `${points.length} activations · median ${ms(percentile(sorted, 0.5))}`
      + ` · p95 ${ms(percentile(sorted, 0.95))} · ${cold} cold`));
  return h('figure', { class: 'chart-box', 'data-testid': 'latency-chart' }, svg, legend);
}
