// Small DOM and formatting helpers. Everything user- or API-supplied goes in as text nodes or
// attribute values, never as HTML, so a target name or an error message cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(parent, c));
    return;
  }
  parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'indeterminate') {
      el[key] = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

/** Creates an HTML element: h('button', {class: 'btn', onClick}, 'Save'). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Creates an SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A few inline icons (stroke icons, 16px), decorative: aria-hidden. */
const ICON_PATHS = {
  plus: 'M8 3v10M3 8h10',
  check: 'M3.5 8.5l3 3 6-7',
  x: 'M4 4l8 8M12 4l-8 8',
  arrowLeft: 'M13 8H3M7 4L3 8l4 4',
  arrowRight: 'M3 8h10M9 4l4 4-4 4',
  copy: 'M5.5 5.5V3.5a1 1 0 011-1h6a1 1 0 011 1v6a1 1 0 01-1 1h-2M3.5 5.5h6a1 1 0 011 1v6a1 1 0 01-1 1h-6a1 1 0 01-1-1v-6a1 1 0 011-1z',
  key: 'M10 6.5a3.5 3.5 0 11-7 0 3.5 3.5 0 017 0zM9.2 9l4.3 4.3M11.5 11.3l1.5-1.5',
  refresh: 'M13 3v3.5H9.5M3 13V9.5h3.5M12.6 6.5A5 5 0 003.8 5M3.4 9.5a5 5 0 008.8 1.5',
  send: 'M14 2L7 9M14 2l-4.5 12L7 9 2 6.5 14 2z',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5',
  pencil: 'M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z',
  rotate: 'M2.5 8a5.5 5.5 0 019.6-3.7M13.5 8a5.5 5.5 0 01-9.6 3.7M12.5 1.5v3h-3M3.5 14.5v-3h3',
  alert: 'M8 2l6.5 11.5h-13L8 2zM8 6.5v3M8 11.6v.1',
  info: 'M8 14.5a6.5 6.5 0 100-13 6.5 6.5 0 000 13zM8 7.5v4M8 5v.1',
  webhook: 'M6 5.5a2.5 2.5 0 114 2L8 11M4.5 10.5a2.5 2.5 0 103.5 2.2h4.3M11.5 10.5a2.5 2.5 0 11-2 4',
  signOut: 'M6 14H3.5a1 1 0 01-1-1V3a1 1 0 011-1H6M10.5 11l3-3-3-3M13.5 8H6',
  eye: 'M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM8 10a2 2 0 100-4 2 2 0 000 4z',
  lock: 'M4 7V5a4 4 0 018 0v2M3 7h10v7H3z',
  phone: 'M5 1.5h6a1 1 0 011 1v11a1 1 0 01-1 1H5a1 1 0 01-1-1v-11a1 1 0 011-1zM7 12h2',
  settings: 'M8 10a2 2 0 100-4 2 2 0 000 4zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
};

export function icon(name, extraClass) {
  return s('svg', {
    class: ['icon', extraClass].filter(Boolean).join(' '),
    viewBox: '0 0 16 16',
    width: 16,
    height: 16,
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': 1.6,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
  }, s('path', { d: ICON_PATHS[name] || '' }));
}

// ---- formatting -------------------------------------------------------------------------------

const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const shortFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const numberFormat = new Intl.NumberFormat();
const relativeFormat = typeof Intl.RelativeTimeFormat === 'function'
  ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  : null;

export function isTime(ms) {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0;
}

export function formatAbsolute(ms) {
  return isTime(ms) ? absoluteFormat.format(new Date(ms)) : '—';
}

export function formatShort(ms) {
  return isTime(ms) ? shortFormat.format(new Date(ms)) : '—';
}

export function formatHour(ms) {
  return isTime(ms) ? hourFormat.format(new Date(ms)) : '';
}

/** The time of day with seconds: "10:42:05". */
export function formatClock(ms) {
  return isTime(ms) ? clockFormat.format(new Date(ms)) : '—';
}

export function formatNumber(n) {
  return typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—';
}

export function formatRelative(ms, now = Date.now()) {
  if (!isTime(ms)) return '—';
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 45 * 1000) return diff < 0 ? 'just now' : 'in a few seconds';
  const units = [
    ['year', 365 * 24 * 3600e3], ['month', 30 * 24 * 3600e3], ['week', 7 * 24 * 3600e3],
    ['day', 24 * 3600e3], ['hour', 3600e3], ['minute', 60e3],
  ];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'minute') {
      const value = Math.round(diff / size);
      if (relativeFormat) return relativeFormat.format(value, unit);
      return diff < 0 ? `${Math.abs(value)} ${unit}(s) ago` : `in ${value} ${unit}(s)`;
    }
  }
  return formatShort(ms);
}

/** A <time> element showing a relative time, with the exact time as tooltip. */
export function timeEl(ms, { fallback = '—', absolute = false } = {}) {
  if (!isTime(ms)) return h('span', { class: 'muted' }, fallback);
  return h('time', {
    datetime: new Date(ms).toISOString(),
    title: formatAbsolute(ms),
  }, absolute ? formatShort(ms) : formatRelative(ms));
}

/** 3600000 -> "1 h", 5000 -> "5 s", 1500 -> "1.5 s", 250 -> "250 ms". */
export function formatDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const trim = (v) => String(Math.round(v * 10) / 10);
  if (ms < 60e3) return `${trim(ms / 1000)} s`;
  if (ms < 3600e3) return `${trim(ms / 60e3)} min`;
  if (ms < 86400e3) return `${trim(ms / 3600e3)} h`;
  return `${trim(ms / 86400e3)} d`;
}

export function formatLatency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${formatNumber(Math.round(ms))} ms`;
}

export function plural(n, one, many) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** Value for <input type="datetime-local"> in local time. */
export function toLocalInputValue(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Replaces an element's children; null/false children are skipped (unlike replaceChildren). */
export function setChildren(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}
