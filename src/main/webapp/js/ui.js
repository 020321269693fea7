// Shared UI pieces: toasts (announced through aria-live regions), modal dialogs with focus return,
// a confirm dialog, busy buttons, and mapping an API error's details onto form fields.
import { h, icon, uid } from './dom.js';
import { ApiError } from './api.js';

// ---- toasts -----------------------------------------------------------------------------------

function region(id) {
  return document.getElementById(id);
}

/** Shows a toast; errors go to the assertive region, the rest to the polite one. */
export function toast(message, { tone = 'success', timeout } = {}) {
  const isError = tone === 'danger';
  const container = region(isError ? 'toast-alerts' : 'toast-status');
  if (!container) return;
  const close = h('button', {
    type: 'button', class: 'toast-close', 'aria-label': 'Dismiss notification',
  }, icon('x'));
  const el = h('div', { class: `toast toast-${tone}`, 'data-test': 'toast' },
    h('span', { class: 'toast-icon', 'aria-hidden': 'true' }, icon(isError ? 'alert' : tone === 'info' ? 'info' : 'check')),
    h('span', { class: 'toast-text' }, message),
    close);
  const remove = () => {
    el.classList.add('toast-leaving');
    setTimeout(() => el.remove(), 180);
  };
  close.addEventListener('click', remove);
  container.append(el);
  setTimeout(remove, timeout ?? (isError ? 9000 : 5000));
}

export function errorMessage(err) {
  if (err instanceof ApiError) {
    return err.details.length && !err.details.some((d) => d.includes(':'))
      ? `${err.error}: ${err.details.join('; ')}`
      : err.error;
  }
  return 'Something went wrong. Try again.';
}

export function toastError(err, prefix) {
  toast(prefix ? `${prefix}: ${errorMessage(err)}` : errorMessage(err), { tone: 'danger' });
}

// ---- busy buttons -----------------------------------------------------------------------------

/** Disables a button and shows a spinner while `work` runs. */
export async function withBusy(button, work) {
  if (!button) return work();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.classList.add('is-busy');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.classList.remove('is-busy');
  }
}

// ---- modal dialogs ----------------------------------------------------------------------------

/**
 * Builds a <dialog> with a header (title + close button), body and footer, appended to <body>.
 * Returns {dialog, body, footer, open(), close()}. The dialog is removed from the DOM when closed,
 * and focus goes back to whatever had it before opening. Esc closes (native behaviour).
 */
export function modal({ title, description, size = 'md', test, onClose, closeTest } = {}) {
  const titleId = uid('dialog-title');
  const descId = description ? uid('dialog-desc') : null;
  const body = h('div', { class: 'dialog-body' });
  const footer = h('div', { class: 'dialog-footer' });
  const closeButton = h('button', {
    type: 'button', class: 'icon-button', 'aria-label': 'Close', 'data-test': closeTest || null,
  }, icon('x'));
  const titleEl = h('h2', { id: titleId, class: 'dialog-title' }, title);
  const dialog = h('dialog', {
    class: `dialog dialog-${size}`,
    'aria-labelledby': titleId,
    'aria-describedby': descId,
    'data-test': test || null,
  },
  h('div', { class: 'dialog-header' },
    h('div', null, titleEl, description ? h('p', { id: descId, class: 'dialog-description' }, description) : null),
    closeButton),
  body,
  footer);

  let opener = null;
  const api = {
    dialog,
    body,
    footer,
    titleEl,
    open() {
      opener = document.activeElement;
      document.body.append(dialog);
      dialog.showModal();
      const preferred = dialog.querySelector('[autofocus]');
      if (preferred) preferred.focus();
      return api;
    },
    close(value) {
      if (dialog.open) dialog.close(value === undefined ? '' : String(value));
    },
  };

  closeButton.addEventListener('click', () => api.close('cancel'));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (onClose) onClose(dialog.returnValue);
    if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
  });
  return api;
}

/**
 * A confirm dialog that runs `action` on confirm, keeps the dialog open while it runs and shows
 * its error inline. Resolves with the action's result, or null when cancelled.
 */
export function confirmDialog({
  title, message, confirmLabel = 'Confirm', tone = 'primary', confirmTest, extra, action, test,
}) {
  return new Promise((resolve) => {
    let result = null;
    const m = modal({ title, size: 'sm', test, onClose: () => resolve(result) });
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true, 'data-test': 'confirm-error' });
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary', autofocus: tone === 'danger' }, 'Cancel');
    const confirm = h('button', {
      type: 'submit', class: `btn ${tone === 'danger' ? 'btn-danger' : 'btn-primary'}`,
      'data-test': confirmTest || null, autofocus: tone !== 'danger',
    }, confirmLabel);
    const form = h('form', { class: 'stack', novalidate: true }, message, extra || null, error);
    m.body.append(form);
    m.footer.append(cancel, confirm);
    confirm.setAttribute('form', form.id = uid('confirm-form'));
    cancel.addEventListener('click', () => m.close('cancel'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        result = await withBusy(confirm, () => (action ? action(form) : true));
        if (result === undefined || result === null) result = true;
        m.close('confirm');
      } catch (err) {
        result = null;
        error.textContent = errorMessage(err);
        error.hidden = false;
      }
    });
    m.open();
  });
}

// ---- forms ------------------------------------------------------------------------------------

/** Name of the field an API detail talks about: "events[0]: must ..." -> "events". */
export function detailField(detail) {
  const colon = detail.indexOf(':');
  if (colon <= 0) return null;
  const path = detail.slice(0, colon).trim();
  const match = /^[A-Za-z_$][\w$]*/.exec(path);
  return match ? match[0] : null;
}

export function detailMessage(detail) {
  const colon = detail.indexOf(':');
  return colon > 0 ? detail.slice(colon + 1).trim() : detail;
}

/**
 * Form field errors. `fields` maps a field name to {errorEl, inputs[], keepPath?}. Shows each API
 * detail next to the field it names; returns the details no field claimed. With `keepPath` the detail
 * is shown whole ("headers.Host: …", "filter.payload.type.$regex: …"): for a map or a JSON document
 * the path is what tells the user which entry is wrong.
 */
export function createFieldErrors(fields) {
  function clearAll() {
    for (const f of Object.values(fields)) {
      f.errorEl.textContent = '';
      f.errorEl.hidden = true;
      f.inputs.forEach((i) => i.removeAttribute('aria-invalid'));
    }
  }
  function set(name, message) {
    const f = fields[name];
    if (!f) return false;
    f.errorEl.textContent = f.errorEl.textContent ? `${f.errorEl.textContent} ${message}` : message;
    f.errorEl.hidden = false;
    f.inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
    return true;
  }
  function apply(details) {
    const rest = [];
    for (const d of details) {
      const name = detailField(d);
      const f = name ? fields[name] : null;
      if (!f || !set(name, f.keepPath ? d : detailMessage(d))) rest.push(d);
    }
    return rest;
  }
  function focusFirstInvalid() {
    for (const f of Object.values(fields)) {
      if (!f.errorEl.hidden && f.inputs[0]) {
        const details = f.inputs[0].closest('details');
        if (details) details.open = true;
        f.inputs[0].focus();
        return true;
      }
    }
    return false;
  }
  /** Clears the error of the field that `element` belongs to (call on input/change). */
  function clearFor(element) {
    for (const f of Object.values(fields)) {
      if (f.inputs.includes(element) && !f.errorEl.hidden) {
        f.errorEl.textContent = '';
        f.errorEl.hidden = true;
        f.inputs.forEach((i) => i.removeAttribute('aria-invalid'));
      }
    }
  }
  return { clearAll, set, apply, focusFirstInvalid, clearFor };
}

// ---- clipboard --------------------------------------------------------------------------------

/** Copies an input's value; falls back to selecting it for the user. Resolves true if copied. */
export async function copyFromInput(input) {
  const text = input.value;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to selection
    }
  }
  input.focus();
  input.select();
  input.setSelectionRange(0, text.length);
  try {
    // Deprecated, but the only option outside secure contexts; harmless when unsupported.
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
