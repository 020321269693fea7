// Add / edit a webhook target, in a dialog. Client-side checks are hints only: the API's answer is
// authoritative and each of its details is shown next to the field it names.
import { h, icon, uid, formatDuration, formatNumber, plural, setChildren } from './dom.js';
import { api, ApiError } from './api.js';
import { EVENT_TYPES, TARGET_DEFAULTS } from './model.js';
import { modal, createFieldErrors, withBusy, errorMessage } from './ui.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A hint about a URL the API will most likely refuse; null when it looks fine. */
export function urlHint(value) {
  const text = value.trim();
  if (!text) return null;
  let url;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL, for example https://example.com/webhooks/whatsapp.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an https:// URL.';
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'http:// is only allowed for localhost, 127.0.0.1 or [::1]; use https:// for anything else.';
  }
  if (url.username || url.password) return 'Leave credentials out of the URL.';
  return null;
}

/**
 * A whole-number input with its hint and error. `describe(n)` adds what a typed value means to the
 * hint (a duration by default); null for nothing.
 */
function numberField(name, label, value, hint, attrs = {}, describe = formatDuration) {
  const id = uid(`f-${name}`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', {
    id, name, class: 'input', type: 'number', inputmode: 'numeric', step: 1,
    value: String(value), 'aria-describedby': `${hintId} ${errorId}`, 'data-test': `target-${name}`, ...attrs,
  });
  const hintEl = h('p', { id: hintId, class: 'field-hint' }, hint);
  const errorEl = h('p', { id: errorId, class: 'field-error', hidden: true, 'data-test': `field-error-${name}` });
  const updateHint = () => {
    const n = Number(input.value);
    const meaning = describe && Number.isFinite(n) && input.value !== '' ? describe(n) : null;
    hintEl.textContent = meaning ? `${hint} · ${meaning}` : hint;
  };
  input.addEventListener('input', updateHint);
  updateHint();
  return { input, errorEl, el: h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), input, hintEl, errorEl) };
}

/** The API's limit, mirrored so the editor can stop offering rows the save would refuse. */
const MAX_HEADERS = 10;

/**
 * The custom headers editor. The API never gives back a header's value (only "••••abcd"), and a PATCH
 * with `headers` replaces the whole map, so editing one header would mean sending the others' values,
 * which the browser does not have. Hence two modes for a target that has headers: keep them as they
 * are (nothing is sent), or replace them all with a set typed here in full.
 * `read()` answers undefined (leave headers alone), a map to send, or null after a client-side error.
 * `fieldErrors()` is the form's createFieldErrors, made once every field exists.
 */
function headersEditor(existing, fieldErrors) {
  const names = Object.keys(existing || {});
  const inputs = []; // live: createFieldErrors marks and clears whatever rows exist
  const hintId = uid('headers-hint');
  const errorEl = h('p', { id: uid('headers-error'), class: 'field-error', hidden: true, 'data-test': 'field-error-headers' });
  const rows = h('div', { class: 'header-rows', 'data-test': 'header-rows' });
  const add = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'add-header' }, icon('plus'), 'Add header');
  const hint = h('p', { id: hintId, class: 'field-hint' });
  let replacing = names.length === 0;

  function updateAdd() {
    const count = rows.children.length;
    add.disabled = count >= MAX_HEADERS;
    add.title = add.disabled ? `At most ${MAX_HEADERS} headers` : '';
  }

  function addRow(name = '') {
    const nameId = uid('f-header-name');
    const valueId = uid('f-header-value');
    const nameInput = h('input', {
      id: nameId, class: 'input input-mono', type: 'text', autocomplete: 'off', spellcheck: 'false',
      maxlength: 64, placeholder: 'Authorization', value: name, 'data-test': 'header-name',
      'aria-describedby': `${hintId} ${errorEl.id}`,
    });
    const valueInput = h('input', {
      id: valueId, class: 'input input-mono', type: 'text', autocomplete: 'off', spellcheck: 'false',
      maxlength: 1024, placeholder: name ? 'Type the full value again' : 'Bearer …', 'data-test': 'header-value',
      'aria-describedby': `${hintId} ${errorEl.id}`,
    });
    const remove = h('button', {
      type: 'button', class: 'icon-button', 'data-test': 'remove-header', 'aria-label': 'Remove this header',
    }, icon('trash'));
    const row = h('div', { class: 'header-row', 'data-test': 'header-row' },
      h('div', { class: 'field' }, h('label', { for: nameId, class: 'label-inline' }, 'Name'), nameInput),
      h('div', { class: 'field' }, h('label', { for: valueId, class: 'label-inline' }, 'Value'), valueInput),
      remove);
    remove.addEventListener('click', () => {
      inputs.splice(inputs.indexOf(nameInput), 2);
      row.remove();
      updateAdd();
      (rows.querySelector('[data-test="header-name"]') || add).focus();
    });
    inputs.push(nameInput, valueInput);
    rows.append(row);
    updateAdd();
    return nameInput;
  }
  add.addEventListener('click', () => addRow().focus());

  // Kept headers: shown masked, read-only, with the way to replace them.
  const replaceButton = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'replace-headers' }, icon('pencil'), 'Replace headers…');
  const keepButton = h('button', { type: 'button', class: 'btn-link', 'data-test': 'keep-headers' }, 'Keep the current headers instead');
  const current = names.length
    ? h('div', { class: 'stack-sm', 'data-test': 'current-headers' },
      h('ul', { class: 'header-list' }, names.map((n) => h('li', { 'data-test': 'current-header', 'data-name': n },
        h('code', null, n), h('span', { class: 'mono subtle' }, existing[n])))),
      h('div', null, replaceButton))
    : null;
  const editor = h('div', { class: 'stack-sm' }, rows, h('div', { class: 'header-actions' }, add, names.length ? keepButton : null));

  function show() {
    if (current) current.hidden = replacing;
    editor.hidden = !replacing;
    hint.textContent = !names.length
      ? 'Sent with every delivery, e.g. an Authorization header your endpoint expects. At most 10; values are stored encrypted and shown masked afterwards.'
      : replacing
        ? 'Saving replaces all headers with exactly these rows; remove every row to send none. Pons never shows a saved value again, so type each value in full, also for headers you keep.'
        : 'Kept as they are: values are stored encrypted and only shown masked. To change or remove one, replace the whole set.';
  }
  replaceButton.addEventListener('click', () => {
    replacing = true;
    names.forEach((n) => addRow(n));
    show();
    const firstValue = rows.querySelector('[data-test="header-value"]');
    (firstValue || add).focus();
  });
  keepButton.addEventListener('click', () => {
    replacing = false;
    inputs.splice(0);
    errorEl.textContent = '';
    errorEl.hidden = true;
    setChildren(rows);
    updateAdd();
    show();
    replaceButton.focus();
  });
  show();

  function read() {
    if (!replacing) return undefined;
    const map = {};
    let ok = true;
    for (const row of rows.children) {
      const [nameInput, valueInput] = row.querySelectorAll('input');
      const name = nameInput.value.trim();
      const value = valueInput.value;
      if (!name && !value) continue; // an empty row is no header
      if (!name || !value) {
        fieldErrors().set('headers', !name ? 'Each header needs a name.' : `headers.${name}: type the value in full.`);
        (name ? valueInput : nameInput).setAttribute('aria-invalid', 'true');
        ok = false;
      } else {
        map[name] = value;
      }
    }
    if (!ok) return null;
    // a new target without headers sends nothing; replacing with nothing clears them
    return names.length || Object.keys(map).length ? map : undefined;
  }

  const count = names.length;
  const el = h('details', { class: 'advanced', open: count > 0, 'data-test': 'headers-section' },
    h('summary', null, 'Custom headers', count ? h('span', { class: 'optional' }, ` (${count})`) : h('span', { class: 'optional' }, ' (optional)')),
    // aria-label, not a visually hidden label element: an absolutely positioned one would be laid out
    // relative to the <dialog> and make the dialog itself scroll
    h('div', { class: 'advanced-body', role: 'group', 'aria-label': 'Custom headers', 'aria-describedby': hintId },
      hint, current, editor, errorEl));
  return { el, errorEl, inputs, read };
}

/** The JSON in the filter textarea: null for none, undefined after a client-side error. */
function parseFilter(text, fieldErrors) {
  if (!text.trim()) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fieldErrors().set('filter', `Not valid JSON: ${err.message}`);
    return undefined;
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    fieldErrors().set('filter', 'A filter is a JSON object, e.g. {"payload.type": "text"}.');
    return undefined;
  }
  return value;
}

/** The payload filter: a JSON textarea and "Try it" on the account's last 100 events. */
function filterEditor(ctx, existing, fieldErrors) {
  const id = uid('f-filter');
  const hintId = `${id}-hint`;
  const errorEl = h('p', { id: `${id}-error`, class: 'field-error', hidden: true, 'data-test': 'field-error-filter' });
  const textarea = h('textarea', {
    id, name: 'filter', class: 'input input-mono textarea', rows: 5, spellcheck: 'false', autocomplete: 'off',
    placeholder: '{"type": "message.inbound.received", "payload.type": "text"}',
    'aria-describedby': `${hintId} ${errorEl.id}`, 'data-test': 'target-filter',
  });
  // set as a property: the textarea's text, not an attribute
  textarea.value = existing ? JSON.stringify(existing, null, 2) : '';
  const result = h('p', { class: 'field-hint filter-result', role: 'status', 'data-test': 'filter-result' });
  const tryIt = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'try-filter' }, 'Try it');
  // a count is only true of the text it was made for
  textarea.addEventListener('input', () => { result.textContent = ''; });

  tryIt.addEventListener('click', () => withBusy(tryIt, async () => {
    fieldErrors().clearFor(textarea);
    result.textContent = '';
    const filter = parseFilter(textarea.value, fieldErrors);
    if (filter === undefined) {
      textarea.focus();
      return;
    }
    try {
      const r = await api.evaluateFilter(ctx.account.id, filter, 100);
      result.textContent = r.of === 0
        ? 'No events yet to try it on: it will apply to events from now on.'
        : `Matches ${formatNumber(r.matched)} of the last ${plural(r.of, 'event', 'events')}.`;
    } catch (err) {
      // "filter.…" details go next to the textarea, with their path; anything else is said here
      const rest = err instanceof ApiError ? fieldErrors().apply(err.details) : [];
      if (errorEl.hidden || rest.length) {
        result.textContent = `Couldn't try the filter: ${[errorMessage(err), ...rest].join(' ')}`;
      }
      if (!errorEl.hidden) textarea.focus();
    }
  }));

  const el = h('details', { class: 'advanced', open: Boolean(existing), 'data-test': 'filter-section' },
    h('summary', null, 'Payload filter', h('span', { class: 'optional' }, existing ? ' (set)' : ' (optional)')),
    h('div', { class: 'advanced-body' },
      h('div', { class: 'field' },
        h('label', { for: id, class: 'label' }, 'Only forward events matching'),
        textarea,
        h('p', { id: hintId, class: 'field-hint' },
          'A JSON object of envelope paths and conditions, e.g. ', h('code', null, '{"payload.type": "interactive"}'),
          ' or ', h('code', null, '{"payload.from": {"$startsWith": "49"}}'), '. Empty: every subscribed event. ',
          'Events that do not match make no delivery.'),
        errorEl,
        h('div', { class: 'filter-try' }, tryIt, result))));

  return {
    el, errorEl, textarea,
    /** The filter to save, or undefined after a client-side error. */
    read: () => parseFilter(textarea.value, fieldErrors),
  };
}

const ORDERINGS = [
  {
    value: 'unordered',
    title: 'Unordered',
    description: 'Deliveries go side by side, as fast as the endpoint takes them; a retry does not hold up the others.',
  },
  {
    value: 'fifo',
    title: 'FIFO',
    description: 'One delivery at a time, in the order Pons accepted the events. The next waits while the one '
      + 'before it is retried, and goes once that one succeeded or finally failed.',
  },
];

/** What a rate limit means, for its hint: 5 -> "one attempt every 200 ms". */
function rateMeaning(n) {
  return Number.isInteger(n) && n >= 1 ? `one attempt every ${formatDuration(1000 / n)}` : null;
}

/**
 * Radio choices of one group, each a title and a description: `test` names them (`<test>-<value>`), and
 * `describedBy` is read out with each after its description.
 */
function radioChoices(options, { prefix, test, checked, describedBy }) {
  const name = uid(prefix);
  const choices = options.map((o) => {
    const id = uid(`f-${prefix}`);
    const descId = `${id}-desc`;
    const input = h('input', {
      id, type: 'radio', class: 'radio', name, value: o.value, checked: o.value === checked,
      'data-test': `${test}-${o.value}`, 'aria-describedby': describedBy ? `${descId} ${describedBy}` : descId,
    });
    return {
      input,
      el: h('div', { class: 'choice' }, input,
        h('label', { for: id, class: 'choice-label' },
          h('span', { class: 'choice-title' }, o.title),
          h('span', { id: descId, class: 'choice-desc' }, o.description))),
    };
  });
  return {
    choices,
    inputs: choices.map((c) => c.input),
    value: () => (choices.find((c) => c.input.checked) || choices[0]).input.value,
  };
}

/** Ordering (radio choices) and the rate limit, in a section of their own. */
function orderingEditor(initial) {
  const labelId = uid('ordering-label');
  const errorEl = h('p', { id: uid('ordering-error'), class: 'field-error', hidden: true, 'data-test': 'field-error-ordering' });
  const current = initial.ordering === 'fifo' ? 'fifo' : 'unordered';
  const ordering = radioChoices(ORDERINGS, { prefix: 'ordering', test: 'ordering', checked: current, describedBy: errorEl.id });
  const rate = numberField('rateLimitPerSecond', 'Rate limit (attempts per second)', initial.rateLimitPerSecond ?? '',
    '1–10,000 attempts may start per second, all Pons servers together; empty for no limit',
    { min: 1, max: 10000, placeholder: 'No limit' },
    rateMeaning);
  const summaryNote = () => {
    const parts = [];
    if (current === 'fifo') parts.push('FIFO');
    if (initial.rateLimitPerSecond) parts.push(`${formatNumber(initial.rateLimitPerSecond)}/s`);
    return parts.length ? ` (${parts.join(', ')})` : ' (optional)';
  };
  const el = h('details', {
    class: 'advanced', open: current === 'fifo' || Boolean(initial.rateLimitPerSecond), 'data-test': 'ordering-section',
  },
  h('summary', null, 'Order and rate limit', h('span', { class: 'optional' }, summaryNote())),
  h('div', { class: 'advanced-body' },
    h('div', { class: 'fieldset', role: 'radiogroup', 'aria-labelledby': labelId },
      h('span', { id: labelId, class: 'label' }, 'Ordering'),
      h('div', { class: 'choices' }, ordering.choices.map((c) => c.el)),
      errorEl),
    rate.el,
    h('p', { class: 'field-hint' },
      'Waiting for the limit is not an attempt: it costs no retry. With FIFO, a rate limit paces the one delivery at the head.')));
  return {
    el,
    errorEl,
    inputs: ordering.inputs,
    rate,
    value: ordering.value,
  };
}

const KINDS = [
  {
    value: 'http',
    title: 'HTTP endpoint',
    description: 'Pons POSTs each event to a URL of yours.',
  },
  {
    value: 'jms',
    title: 'JMS destination',
    description: 'Pons publishes each event as a message to a queue or topic your operator granted this account.',
  },
];

/**
 * The names of the JMS destinations granted to the account. Unreadable, they count as none: the form then
 * offers what it can without them, an HTTP endpoint, and the server still has the last word on a save.
 */
async function grantedDestinations(ctx) {
  try {
    return (await api.jmsDestinations(ctx.account.id)).map((d) => d.name);
  } catch {
    return [];
  }
}

/** HTTP endpoint or JMS destination, as radio choices; only offered when the account has a destination. */
function kindChoice() {
  const labelId = uid('kind-label');
  const kind = radioChoices(KINDS, { prefix: 'kind', test: 'kind', checked: 'http' });
  const el = h('div', { class: 'fieldset', role: 'radiogroup', 'aria-labelledby': labelId, 'data-test': 'kind-choice' },
    h('span', { id: labelId, class: 'label' }, 'Deliver to'),
    h('div', { class: 'choices choices-grid' }, kind.choices.map((c) => c.el)));
  return { el, inputs: kind.inputs, value: kind.value };
}

/**
 * The destination select: the granted names, and a JMS target's own destination even when its grant was
 * revoked since, so that editing other fields does not move it.
 */
function destinationField(granted, current) {
  const id = uid('f-destination');
  const names = current && !granted.includes(current) ? [current, ...granted] : granted;
  const select = h('select', {
    id, name: 'destination', class: 'select', 'data-test': 'target-destination',
    'aria-describedby': `${id}-hint ${id}-error`,
  }, names.map((n) => h('option', { value: n, selected: n === current },
    granted.includes(n) ? n : `${n} (no longer granted)`)));
  const errorEl = h('p', { id: `${id}-error`, class: 'field-error', hidden: true, 'data-test': 'field-error-destination' });
  const el = h('div', { class: 'field', 'data-test': 'destination-field' },
    h('label', { for: id, class: 'label' }, 'JMS destination'),
    select,
    h('p', { id: `${id}-hint`, class: 'field-hint' },
      'The destinations your operator granted this account. Each event becomes a signed text message there; ',
      'a send the broker committed counts as delivered.'),
    errorEl);
  return { el, select, errorEl };
}

/**
 * Opens the add (target undefined) or edit dialog. Resolves with the API's answer (for a new
 * target it carries `signingSecret`), or null when cancelled.
 */
export async function openTargetForm(ctx, target) {
  const editing = Boolean(target);
  const initial = target || {
    name: '', url: '', events: [], phoneNumberIds: [], enabled: true, ...TARGET_DEFAULTS,
  };
  // A target's type is fixed once created: an HTTP target being edited needs no destinations.
  const granted = !editing || initial.type === 'jms' ? await grantedDestinations(ctx) : [];

  return new Promise((resolve) => {
    let result = null;
    const m = modal({
      title: editing ? 'Edit endpoint' : 'Add endpoint',
      description: editing
        ? 'Changes apply to deliveries made from now on.'
        : 'Pons will POST signed JSON events to this URL.',
      size: 'lg',
      test: 'target-dialog',
      onClose: () => resolve(result),
    });

    const formId = uid('target-form');
    const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, 'data-test': 'form-error' });

    // URL
    const urlId = uid('f-url');
    const urlInput = h('input', {
      id: urlId, name: 'url', class: 'input input-mono', type: 'url', inputmode: 'url',
      placeholder: 'https://example.com/webhooks/whatsapp', autocomplete: 'off', spellcheck: 'false',
      value: initial.url || '', 'data-test': 'target-url', autofocus: true,
      'aria-describedby': `${urlId}-hint ${urlId}-error`,
    });
    const urlHintEl = h('p', { id: `${urlId}-hint`, class: 'field-hint', 'data-test': 'hint-url' },
      'https:// for anything public; http:// only for localhost while developing.');
    const urlError = h('p', { id: `${urlId}-error`, class: 'field-error', hidden: true, 'data-test': 'field-error-url' });
    const defaultUrlHint = urlHintEl.textContent;
    const urlFieldEl = h('div', { class: 'field', 'data-test': 'url-field' },
      h('label', { for: urlId, class: 'label' }, 'Endpoint URL'),
      urlInput, urlHintEl, urlError);
    urlInput.addEventListener('input', () => {
      const hint = urlHint(urlInput.value);
      urlHintEl.textContent = hint || defaultUrlHint;
      urlHintEl.classList.toggle('field-hint-warning', Boolean(hint));
    });

    // Kind and JMS destination: the kind is chosen once, on creation, and only with a destination to choose.
    const kind = !editing && granted.length ? kindChoice() : null;
    const destination = editing ? (initial.type === 'jms' ? destinationField(granted, initial.destination) : null)
      : granted.length ? destinationField(granted, null) : null;
    const isJms = () => (editing ? initial.type === 'jms' : Boolean(kind) && kind.value() === 'jms');

    // Name
    const nameId = uid('f-name');
    const nameInput = h('input', {
      id: nameId, name: 'name', class: 'input', type: 'text', autocomplete: 'off', maxlength: 200,
      placeholder: 'e.g. Orders backend', value: initial.name || '', 'data-test': 'target-name',
      'aria-describedby': `${nameId}-hint ${nameId}-error`,
    });
    const nameError = h('p', { id: `${nameId}-error`, class: 'field-error', hidden: true, 'data-test': 'field-error-name' });
    const nameHintEl = h('p', { id: `${nameId}-hint`, class: 'field-hint' });

    // Events
    const eventsLabelId = uid('events-label');
    const eventsError = h('p', { class: 'field-error', hidden: true, 'data-test': 'field-error-events', id: uid('events-error') });
    const eventInputs = EVENT_TYPES.map((e) => {
      const id = uid('f-event');
      const descId = `${id}-desc`;
      const input = h('input', {
        id, type: 'checkbox', class: 'checkbox', name: 'events', value: e.type,
        checked: (initial.events || []).includes(e.type), 'data-test': `event-${e.type}`,
        'aria-describedby': descId,
      });
      return {
        input,
        el: h('div', { class: 'choice' },
          input,
          h('label', { for: id, class: 'choice-label' },
            h('span', { class: 'choice-title' }, h('code', null, e.type)),
            h('span', { id: descId, class: 'choice-desc' }, e.description))),
      };
    });
    const selectAll = h('button', { type: 'button', class: 'btn-link', 'data-test': 'events-all' }, 'Select all');
    selectAll.addEventListener('click', () => {
      const all = eventInputs.every((e) => e.input.checked);
      eventInputs.forEach((e) => { e.input.checked = !all; });
      selectAll.textContent = all ? 'Select all' : 'Clear all';
    });
    if (eventInputs.every((e) => e.input.checked)) selectAll.textContent = 'Clear all';
    eventInputs.forEach((e) => e.input.addEventListener('change', () => {
      selectAll.textContent = eventInputs.every((x) => x.input.checked) ? 'Clear all' : 'Select all';
    }));

    // Numbers
    const numbersError = h('p', { class: 'field-error', hidden: true, 'data-test': 'field-error-phoneNumberIds' });
    const known = ctx.numbers.map((n) => ({ id: n.phoneNumberId, label: n.displayPhoneNumber || n.phoneNumberId }));
    for (const id of initial.phoneNumberIds || []) {
      if (!known.some((k) => k.id === id)) known.push({ id, label: 'Unknown number' });
    }
    const numberInputs = known.map((n) => {
      const id = uid('f-number');
      const input = h('input', {
        id, type: 'checkbox', class: 'checkbox', name: 'phoneNumberIds', value: n.id,
        checked: (initial.phoneNumberIds || []).includes(n.id), 'data-test': `number-${n.id}`,
      });
      return {
        input,
        el: h('div', { class: 'choice choice-compact' }, input,
          h('label', { for: id, class: 'choice-label' },
            h('span', { class: 'choice-title' }, n.label),
            h('span', { class: 'choice-desc mono' }, n.id))),
      };
    });
    const numbersSummaryEl = h('p', { class: 'field-hint', 'aria-live': 'polite' });
    const updateNumbersSummary = () => {
      const count = numberInputs.filter((n) => n.input.checked).length;
      numbersSummaryEl.textContent = count === 0
        ? 'None selected: events from all numbers, including numbers added later.'
        : `Only events from the ${count === 1 ? 'selected number' : `${count} selected numbers`}.`;
    };
    numberInputs.forEach((n) => n.input.addEventListener('change', updateNumbersSummary));
    updateNumbersSummary();

    // Enabled
    const enabledId = uid('f-enabled');
    const enabledInput = h('input', {
      id: enabledId, type: 'checkbox', class: 'switch', role: 'switch', name: 'enabled',
      checked: initial.enabled !== false, 'data-test': 'target-enabled',
    });
    const enabledError = h('p', { class: 'field-error', hidden: true, 'data-test': 'field-error-enabled' });

    // Payload filter and custom headers; they report through `errors`, made below once every field exists
    const fieldErrors = () => errors; // eslint-disable-line no-use-before-define
    const filterField = filterEditor(ctx, editing ? target.filter : null, fieldErrors);
    const headersField = headersEditor(editing ? target.headers : null, fieldErrors);

    // Advanced
    const orderingField = orderingEditor(initial);
    const maxAttempts = numberField('maxAttempts', 'Max attempts', initial.maxAttempts ?? TARGET_DEFAULTS.maxAttempts, '1–20 attempts in total', { min: 1, max: 20 }, null);
    const timeoutMs = numberField('timeoutMs', 'Timeout (ms)', initial.timeoutMs ?? TARGET_DEFAULTS.timeoutMs, '1,000–60,000 ms per attempt', { min: 1000, max: 60000 });
    const initialBackoffMs = numberField('initialBackoffMs', 'Initial backoff (ms)', initial.initialBackoffMs ?? TARGET_DEFAULTS.initialBackoffMs, 'Wait before the first retry', { min: 0 });
    const maxBackoffMs = numberField('maxBackoffMs', 'Max backoff (ms)', initial.maxBackoffMs ?? TARGET_DEFAULTS.maxBackoffMs, 'Longest wait between retries', { min: 0 });
    const advancedHasError = () => [maxAttempts, timeoutMs, initialBackoffMs, maxBackoffMs].some((f) => !f.errorEl.hidden);
    const orderingHasError = () => !orderingField.errorEl.hidden || !orderingField.rate.errorEl.hidden;
    const advanced = h('details', { class: 'advanced', 'data-test': 'advanced' },
      h('summary', null, 'Advanced: retries and timeouts'),
      h('div', { class: 'advanced-body' },
        h('p', { class: 'field-hint' },
          'A failed attempt is retried with exponential backoff: the first retry waits the initial backoff, ',
          'each next one twice as long, never more than the max backoff.'),
        h('div', { class: 'grid-2' }, maxAttempts.el, timeoutMs.el, initialBackoffMs.el, maxBackoffMs.el)));

    const errors = createFieldErrors({
      url: { errorEl: urlError, inputs: [urlInput] },
      ...(destination ? { destination: { errorEl: destination.errorEl, inputs: [destination.select] } } : {}),
      name: { errorEl: nameError, inputs: [nameInput] },
      events: { errorEl: eventsError, inputs: eventInputs.map((e) => e.input) },
      phoneNumberIds: { errorEl: numbersError, inputs: numberInputs.map((n) => n.input) },
      enabled: { errorEl: enabledError, inputs: [enabledInput] },
      filter: { errorEl: filterField.errorEl, inputs: [filterField.textarea], keepPath: true },
      headers: { errorEl: headersField.errorEl, inputs: headersField.inputs, keepPath: true },
      ordering: { errorEl: orderingField.errorEl, inputs: orderingField.inputs },
      rateLimitPerSecond: { errorEl: orderingField.rate.errorEl, inputs: [orderingField.rate.input] },
      maxAttempts: { errorEl: maxAttempts.errorEl, inputs: [maxAttempts.input] },
      timeoutMs: { errorEl: timeoutMs.errorEl, inputs: [timeoutMs.input] },
      initialBackoffMs: { errorEl: initialBackoffMs.errorEl, inputs: [initialBackoffMs.input] },
      maxBackoffMs: { errorEl: maxBackoffMs.errorEl, inputs: [maxBackoffMs.input] },
    });

    const form = h('form', { id: formId, class: 'form', novalidate: true, 'data-test': 'target-form' },
      formError,
      kind ? kind.el : null,
      urlFieldEl,
      destination ? destination.el : null,
      h('div', { class: 'field' },
        h('label', { for: nameId, class: 'label' }, 'Name'),
        nameInput,
        nameHintEl,
        nameError),
      h('div', { class: 'fieldset', role: 'group', 'aria-labelledby': eventsLabelId, 'aria-describedby': eventsError.id },
        h('div', { class: 'fieldset-head' },
          h('span', { id: eventsLabelId, class: 'label' }, 'Events to send'),
          selectAll),
        h('div', { class: 'choices' }, eventInputs.map((e) => e.el)),
        eventsError),
      h('fieldset', { class: 'fieldset' },
        h('legend', { class: 'label' }, 'Phone numbers'),
        numberInputs.length
          ? h('div', { class: 'choices choices-grid' }, numberInputs.map((n) => n.el))
          : h('p', { class: 'field-hint' }, 'No numbers registered yet: this endpoint receives events from all numbers, including numbers added later.'),
        numberInputs.length ? numbersSummaryEl : null,
        numbersError),
      h('div', { class: 'field field-inline' },
        enabledInput,
        h('label', { for: enabledId, class: 'choice-label' },
          h('span', { class: 'choice-title' }, 'Enabled'),
          h('span', { class: 'choice-desc' }, 'Disabled endpoints receive nothing; events are not queued for them.')),
        enabledError),
      filterField.el,
      headersField.el,
      orderingField.el,
      advanced);

    /** Shows the fields of the kind chosen; a JMS target has no URL and no custom headers (the server refuses both). */
    function showKind() {
      const jms = isJms();
      urlFieldEl.hidden = jms;
      if (destination) destination.el.hidden = !jms;
      headersField.el.hidden = jms;
      nameHintEl.textContent = `Shown in this dashboard only; left blank, the ${jms ? 'destination' : 'URL'}.`;
      const description = m.dialog.querySelector('.dialog-description');
      if (description && !editing) {
        description.textContent = jms
          ? 'Pons will publish signed JSON events to this JMS destination.'
          : 'Pons will POST signed JSON events to this URL.';
      }
    }
    if (kind) {
      kind.inputs.forEach((input) => input.addEventListener('change', () => {
        showKind();
        (isJms() ? destination.select : urlInput).focus();
      }));
    }
    showKind();
    if (isJms()) {
      urlInput.removeAttribute('autofocus');
      destination.select.setAttribute('autofocus', '');
    }

    const cancel = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Cancel');
    const save = h('button', {
      type: 'submit', form: formId, class: 'btn btn-primary', 'data-test': 'save-target',
    }, editing ? 'Save changes' : 'Add endpoint');
    cancel.addEventListener('click', () => m.close('cancel'));
    m.footer.append(cancel, save);
    m.body.append(form);

    function readInt(field, name) {
      const raw = field.input.value.trim();
      // a number input answers '' for text it cannot read: that is no value left blank
      if (field.input.validity.badInput) {
        errors.set(name, 'Enter a whole number.');
        return null;
      }
      if (raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n)) {
        errors.set(name, 'Enter a whole number.');
        return null;
      }
      return n;
    }

    function collect() {
      const jms = isJms();
      const body = {
        ...(jms ? { destination: destination.select.value } : { url: urlInput.value.trim() }),
        events: eventInputs.filter((e) => e.input.checked).map((e) => e.input.value),
        phoneNumberIds: numberInputs.filter((n) => n.input.checked).map((n) => n.input.value),
        enabled: enabledInput.checked,
        ordering: orderingField.value(),
      };
      // Left blank, the name is left out: a new target is then named after its URL or destination, an edited one keeps its name.
      const givenName = nameInput.value.trim();
      if (givenName) body.name = givenName;
      if (jms && !editing) body.type = 'jms';
      let ok = true;
      for (const [name, field] of Object.entries({ maxAttempts, timeoutMs, initialBackoffMs, maxBackoffMs })) {
        const v = readInt(field, name);
        if (v === null) ok = false;
        else if (v !== undefined) body[name] = v;
      }
      // empty means no limit: null, which a PATCH sends to clear a limit set before
      const rate = readInt(orderingField.rate, 'rateLimitPerSecond');
      if (rate === null) ok = false;
      else body.rateLimitPerSecond = rate ?? null;
      return ok ? body : null;
    }

    /** For PATCH: only what changed. */
    function changes(body) {
      const diff = {};
      for (const [k, v] of Object.entries(body)) {
        const before = target[k] ?? null;
        const same = Array.isArray(v)
          ? Array.isArray(before) && before.length === v.length && v.every((x) => before.includes(x))
          : before === v;
        if (!same) diff[k] = v;
      }
      return diff;
    }

    form.addEventListener('input', (event) => errors.clearFor(event.target));
    form.addEventListener('change', (event) => errors.clearFor(event.target));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clearAll();
      formError.hidden = true;
      const body = collect();
      // read both even when the body failed, so every client-side problem shows at once
      const filter = filterField.read();
      const headers = isJms() ? undefined : headersField.read();
      if (!body || filter === undefined || headers === null) {
        if (advancedHasError()) advanced.open = true;
        if (orderingHasError()) orderingField.el.open = true;
        errors.focusFirstInvalid();
        return;
      }
      try {
        await withBusy(save, async () => {
          if (editing) {
            const diff = changes(body);
            // the textarea holds the saved filter re-indented: compare what it means, not its text
            if (JSON.stringify(filter) !== JSON.stringify(target.filter ?? null)) diff.filter = filter;
            // undefined: the headers were kept, and leaving them out of the PATCH keeps them
            if (headers !== undefined) diff.headers = headers;
            result = Object.keys(diff).length
              ? await api.updateTarget(ctx.account.id, target.id, diff)
              : target;
          } else {
            if (body.rateLimitPerSecond === null) delete body.rateLimitPerSecond;
            if (filter) body.filter = filter;
            if (headers) body.headers = headers;
            result = await api.createTarget(ctx.account.id, body);
          }
        });
        m.close('saved');
      } catch (err) {
        result = null;
        const rest = err instanceof ApiError ? errors.apply(err.details) : [];
        const fieldCount = err instanceof ApiError ? err.details.length - rest.length : 0;
        setChildren(formError, ...[
          h('strong', null, `Couldn't save the endpoint: ${errorMessage(err)}`),
          fieldCount ? h('p', null, 'Check the highlighted fields.') : null,
          rest.length ? h('ul', null, rest.map((d) => h('li', null, d))) : null,
        ].filter(Boolean));
        if (!urlError.hidden) {
          urlHintEl.textContent = defaultUrlHint;
          urlHintEl.classList.remove('field-hint-warning');
        }
        formError.hidden = false;
        if (advancedHasError()) advanced.open = true;
        if (orderingHasError()) orderingField.el.open = true;
        if (!errors.focusFirstInvalid()) formError.scrollIntoView({ block: 'nearest' });
      }
    });

    m.open();
  });
}
