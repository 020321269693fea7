// A small inline SVG chart of the last 24 hours: stacked succeeded/failed bars per hour and a p95
// latency line on its own scale, plus a text summary for screen readers and everyone else.
import { h, s, clear, uid, formatHour, formatNumber, formatLatency, plural } from './dom.js';

function niceMax(value, minimum) {
  const v = Math.max(value, minimum);
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) {
    if (step * exp >= v) return step * exp;
  }
  return 10 * exp;
}

/** Text summary of the stats, also used as the chart's accessible description. */
export function summarise(hours) {
  const succeeded = hours.reduce((a, b) => a + (b.succeeded || 0), 0);
  const failed = hours.reduce((a, b) => a + (b.failed || 0), 0);
  const total = succeeded + failed;
  if (total === 0) return 'No delivery attempts finished in the last 24 hours.';
  const rate = ((succeeded / total) * 100).toFixed(total === succeeded ? 0 : 1);
  let peak = null;
  for (const b of hours) {
    if (typeof b.p95LatencyMs === 'number' && (!peak || b.p95LatencyMs > peak.p95LatencyMs)) peak = b;
  }
  const busiest = hours.reduce((a, b) => (((b.succeeded || 0) + (b.failed || 0)) > ((a.succeeded || 0) + (a.failed || 0)) ? b : a), hours[0]);
  let text = `Last 24 hours: ${plural(total, 'delivery attempt', 'delivery attempts')}, ${rate}% succeeded (${formatNumber(succeeded)} succeeded, ${formatNumber(failed)} failed).`;
  text += ` Busiest hour ${formatHour(busiest.start)} with ${formatNumber((busiest.succeeded || 0) + (busiest.failed || 0))}.`;
  if (peak) text += ` Highest p95 latency ${formatLatency(peak.p95LatencyMs)} at ${formatHour(peak.start)}.`;
  return text;
}

/**
 * Renders into `container` and re-renders when its width changes. Returns a disconnect function.
 * @param {HTMLElement} container
 * @param {{start:number, succeeded:number, failed:number, p95LatencyMs:number|null}[]} hours
 */
export function renderChart(container, hours) {
  const summaryId = uid('chart-summary');
  const titleId = uid('chart-title');
  const summary = summarise(hours);
  const plot = h('div', { class: 'chart-plot' });
  const legend = h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    h('li', null, h('span', { class: 'swatch swatch-succeeded' }), 'Succeeded'),
    h('li', null, h('span', { class: 'swatch swatch-failed' }), 'Failed'),
    h('li', null, h('span', { class: 'swatch swatch-latency' }), 'p95 latency'));
  clear(container).append(
    legend,
    plot,
    h('p', { id: summaryId, class: 'chart-summary', 'data-test': 'chart-summary' }, summary));

  let lastWidth = 0;
  const draw = () => {
    const width = Math.max(280, Math.floor(plot.clientWidth || 640));
    if (width === lastWidth) return;
    lastWidth = width;
    clear(plot).append(buildSvg(hours, width, { summaryId, titleId }));
  };
  draw();
  if (typeof ResizeObserver === 'function') {
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(draw);
    });
    observer.observe(plot);
    return () => observer.disconnect();
  }
  return () => {};
}

function buildSvg(hours, width, { summaryId, titleId }) {
  const height = 180;
  const pad = { top: 10, right: 46, bottom: 24, left: 34 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = Math.max(hours.length, 1);
  const band = plotW / n;
  const barW = Math.max(2, Math.min(22, band * 0.64));

  const totals = hours.map((b) => (b.succeeded || 0) + (b.failed || 0));
  const yMax = niceMax(Math.max(0, ...totals), 10);
  const latencies = hours.map((b) => (typeof b.p95LatencyMs === 'number' ? b.p95LatencyMs : null));
  const lMax = niceMax(Math.max(0, ...latencies.filter((x) => x !== null)), 100);
  const y = (v) => pad.top + plotH - (v / yMax) * plotH;
  const ly = (v) => pad.top + plotH - (v / lMax) * plotH;

  const svg = s('svg', {
    class: 'chart-svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${titleId} ${summaryId}`,
    'data-test': 'stats-chart',
  }, s('title', { id: titleId }, 'Delivery attempts per hour and p95 latency, last 24 hours'));

  // grid + left axis (attempts)
  const grid = s('g', { class: 'chart-grid' });
  for (const f of [0, 0.5, 1]) {
    const yy = pad.top + plotH - f * plotH;
    grid.append(
      s('line', { x1: pad.left, x2: width - pad.right, y1: yy, y2: yy }),
      s('text', { x: pad.left - 6, y: yy + 3.5, 'text-anchor': 'end', class: 'chart-axis' }, formatNumber(yMax * f)),
      s('text', { x: width - pad.right + 6, y: yy + 3.5, 'text-anchor': 'start', class: 'chart-axis chart-axis-latency' },
        f === 0 ? '0' : formatLatency(lMax * f)),
    );
  }
  svg.append(grid);

  // bars
  const bars = s('g', { class: 'chart-bars' });
  const labelEvery = band >= 28 ? 3 : 6;
  hours.forEach((b, i) => {
    const x = pad.left + i * band + (band - barW) / 2;
    const ok = b.succeeded || 0;
    const bad = b.failed || 0;
    const group = s('g', { class: 'chart-bar' },
      s('title', null, `${formatHour(b.start)}: ${formatNumber(ok)} succeeded, ${formatNumber(bad)} failed`
        + (typeof b.p95LatencyMs === 'number' ? `, p95 ${formatLatency(b.p95LatencyMs)}` : '')),
      // hover target spanning the whole band
      s('rect', { x: pad.left + i * band, y: pad.top, width: band, height: plotH, class: 'chart-hit' }));
    if (ok > 0) {
      group.append(s('rect', {
        x, y: y(ok), width: barW, height: Math.max(1, y(0) - y(ok)), rx: 2, class: 'bar-succeeded',
      }));
    }
    if (bad > 0) {
      group.append(s('rect', {
        x, y: y(ok + bad), width: barW, height: Math.max(1, y(ok) - y(ok + bad)), rx: 2, class: 'bar-failed',
      }));
    }
    if (ok === 0 && bad === 0) {
      group.append(s('rect', { x, y: y(0) - 1, width: barW, height: 1, class: 'bar-empty' }));
    }
    bars.append(group);
    if (i % labelEvery === 0) {
      svg.append(s('text', {
        x: pad.left + i * band + band / 2, y: height - 6, 'text-anchor': 'middle', class: 'chart-axis',
      }, formatHour(b.start)));
    }
  });
  svg.append(bars);

  // p95 latency line, broken where an hour had no attempts
  const segments = [];
  let current = [];
  latencies.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current);
      current = [];
    } else {
      current.push([pad.left + i * band + band / 2, ly(v)]);
    }
  });
  if (current.length) segments.push(current);
  const line = s('g', { class: 'chart-latency', 'aria-hidden': 'true' });
  for (const seg of segments) {
    if (seg.length > 1) {
      line.append(s('polyline', { points: seg.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ') }));
    }
    for (const [px, py] of seg) line.append(s('circle', { cx: px.toFixed(1), cy: py.toFixed(1), r: 2.5 }));
  }
  svg.append(line);
  return svg;
}
