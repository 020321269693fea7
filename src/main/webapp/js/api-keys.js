// Account Settings → API keys: the account's keys (name, preview, created, last used), a new key
// shown once with a copy button, and revocation behind a confirm dialog. A key's full value lives
// only in the dialog that shows it and is gone when that closes.
import { h, icon, uid, timeEl, setChildren } from './dom.js';
import { api, session } from './api.js';
import {
  toast, withBusy, confirmDialog, modal, copyFromInput, createFieldErrors, errorMessage,
} from './ui.js';

const MAX_NAME = 100;

/** The preview the API shows for a key: its prefix and last four characters. */
function previewOf(key) {
  return key && key.length > 9 ? `pons_…${key.slice(-4)}` : null;
}

function openCreateDialog(ctx) {
  return new Promise((resolve) => {
    let created = null;
    const m = modal({ title: 'Create API key', size: 'sm', test: 'key-dialog', onClose: () => resolve(created) });
    const nameId = uid('key-name');
    const nameInput = h('input', {
      id: nameId, name: 'name', class: 'input', type: 'text', autocomplete: 'off', maxlength: MAX_NAME,
      placeholder: 'e.g. CRM integration', autofocus: true, 'data-test': 'key-name',
      'aria-describedby': `${nameId}-hint ${nameId}-error`,
    });
    const nameError = h('p', { id: `${nameId}-error`, class: 'field-error', hidden: true, 'data-test': 'field-error-name' });
    const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, 'data-test': 'form-error' });
    const errors = createFieldErrors({ name: { errorEl: nameError, inputs: [nameInput] } });
    const form = h('form', { class: 'stack', novalidate: true, id: uid('key-form') },
      h('div', { class: 'field' },
        h('label', { for: nameId, class: 'label' }, 'Name ', h('span', { class: 'subtle' }, '(optional)')),
        nameInput,
        h('p', { id: `${nameId}-hint`, class: 'field-hint' }, 'What uses this key, so you know which one to revoke later.'),
        nameError),
      formError);
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Cancel');
    const save = h('button', { type: 'submit', class: 'btn btn-primary', form: form.id, 'data-test': 'save-key' }, 'Create key');
    cancel.addEventListener('click', () => m.close('cancel'));
    nameInput.addEventListener('input', () => errors.clearFor(nameInput));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clearAll();
      formError.hidden = true;
      const name = nameInput.value.trim();
      if (name.length > MAX_NAME) {
        errors.set('name', `At most ${MAX_NAME} characters.`);
        nameInput.focus();
        return;
      }
      try {
        created = await withBusy(save, () => api.createApiKey(ctx.account.id, name ? { name } : {}));
        m.close('saved');
      } catch (err) {
        created = null;
        const rest = err.details ? errors.apply(err.details) : [];
        setChildren(formError, h('strong', null, `Couldn't create the key: ${errorMessage(err)}`),
          rest.length ? h('ul', null, rest.map((d) => h('li', null, d))) : null);
        formError.hidden = false;
        if (!errors.focusFirstInvalid()) nameInput.focus();
      }
    });
    m.body.append(form);
    m.footer.append(cancel, save);
    m.open();
  });
}

/** The one moment a key is shown in full. */
function showKeyDialog(created) {
  return new Promise((resolve) => {
    const m = modal({
      title: 'API key created',
      description: `“${created.name}” can call the API for this account from now on.`,
      test: 'new-key-dialog',
      onClose: () => resolve(),
    });
    const inputId = uid('key-value');
    const input = h('input', {
      id: inputId, class: 'input input-mono secret-input', type: 'text', readonly: true, spellcheck: 'false',
      autocomplete: 'off', 'data-test': 'key-value', value: created.key || '',
    });
    const copyLabel = h('span', null, 'Copy');
    const copy = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'copy-key', autofocus: true },
      icon('copy'), copyLabel);
    const copyStatus = h('p', { class: 'field-hint', role: 'status', 'aria-live': 'polite' });
    copy.addEventListener('click', async () => {
      if (await copyFromInput(input)) {
        copyLabel.textContent = 'Copied';
        copy.classList.add('is-done');
        copyStatus.textContent = 'Key copied to the clipboard.';
        setTimeout(() => {
          copyLabel.textContent = 'Copy';
          copy.classList.remove('is-done');
        }, 2500);
      } else {
        copyStatus.textContent = 'The key is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
      }
    });
    input.addEventListener('focus', () => input.select());
    m.body.append(
      h('div', { class: 'callout callout-warning' },
        icon('alert'),
        h('div', null,
          h('strong', null, 'Copy this key now — you won\'t see it again.'),
          h('p', null, 'Pons keeps only a hash of it; the list shows its last four characters.'))),
      h('div', { class: 'field' },
        h('label', { for: inputId, class: 'label' }, 'API key'),
        h('div', { class: 'input-group' }, input, copy),
        copyStatus));
    const done = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'close-key' }, 'I\'ve saved the key');
    done.addEventListener('click', () => m.close('done'));
    m.footer.append(done);
    m.open();
  });
}

function keyRow(ctx, key, { only, reload }) {
  const mine = key.preview === previewOf(session.apiKey);
  const revoke = h('button', {
    type: 'button', class: 'btn btn-danger-outline btn-sm', 'data-test': 'revoke-key', disabled: only,
    title: only ? 'An account keeps at least one key: create another one first.' : null,
  }, icon('trash'), 'Revoke', h('span', { class: 'sr-only' }, ` ${key.name}`));
  revoke.addEventListener('click', async () => {
    const revoked = await confirmDialog({
      title: 'Revoke this API key?',
      message: h('div', { class: 'stack-sm' },
        h('p', null, 'Revoke “', h('strong', null, key.name), '” (', h('span', { class: 'mono' }, key.preview),
          ')? Requests made with it are refused from now on.'),
        mine ? h('p', { class: 'text-danger' }, 'You are signed in with this key: you will be signed out.') : null,
        h('p', { class: 'subtle' }, 'This can\'t be undone.')),
      confirmLabel: 'Revoke key',
      tone: 'danger',
      confirmTest: 'confirm-revoke',
      test: 'revoke-dialog',
      action: () => api.revokeApiKey(ctx.account.id, key.id),
    });
    if (!revoked) return;
    if (mine) {
      ctx.signOut('You revoked the key you were signed in with. Sign in with another key.');
      return;
    }
    toast(`“${key.name}” was revoked.`);
    await reload();
  });
  return h('tr', { 'data-test': 'key-row', 'data-key-id': key.id },
    h('td', null, h('div', { class: 'cell-stack' },
      h('strong', { 'data-test': 'key-name-cell' }, key.name),
      mine ? h('span', { class: 'subtle small' }, 'Used by this browser') : null)),
    h('td', { class: 'mono nowrap', 'data-test': 'key-preview' }, key.preview),
    h('td', { class: 'nowrap' }, timeEl(key.createdAt)),
    h('td', { class: 'nowrap', 'data-test': 'key-last-used' }, timeEl(key.lastUsedAt, { fallback: 'Never' })),
    h('td', { class: 'cell-actions' }, revoke));
}

/** Renders the API keys page. */
export async function renderApiKeys(ctx, root) {
  const addButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'add-key' },
    icon('plus'), 'Create key');
  const tbody = h('tbody');
  const table = h('table', { class: 'table', 'data-test': 'keys-table' },
    h('caption', { class: 'sr-only' }, 'API keys, newest first'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'),
      h('th', { scope: 'col' }, 'Key'),
      h('th', { scope: 'col' }, 'Created'),
      h('th', { scope: 'col' }, 'Last used'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);
  const slot = h('div', { class: 'list-slot', 'aria-busy': 'true' }, h('div', { class: 'table-wrap' }, table));
  const count = h('span', { class: 'count-badge', hidden: true, 'data-test': 'key-count' });

  setChildren(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('h1', { class: 'page-title', tabindex: -1 }, 'API keys'),
        h('p', { class: 'page-lede' },
          'Each key calls the Pons API for this account. Give every integration its own key, so you can revoke one without touching the others.')),
      h('div', { class: 'page-actions' }, addButton)),
    h('section', { 'aria-labelledby': 'keys-heading' },
      h('div', { class: 'section-head' }, h('h2', { id: 'keys-heading', class: 'section-title' }, 'Keys', count)),
      slot));

  async function load() {
    slot.setAttribute('aria-busy', 'true');
    try {
      const keys = await api.apiKeys(ctx.account.id);
      if (!root.isConnected) return;
      count.hidden = false;
      count.textContent = String(keys.length);
      setChildren(tbody, keys.map((k) => keyRow(ctx, k, { only: keys.length === 1, reload: load })));
      setChildren(slot, h('div', { class: 'table-wrap' }, table));
    } catch (err) {
      if (err.status === 401) return;
      const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Try again');
      retry.addEventListener('click', load);
      setChildren(slot, h('div', { class: 'empty empty-error', role: 'alert' },
        h('h2', null, 'Couldn\'t load your API keys'),
        h('p', null, errorMessage(err)),
        retry));
    } finally {
      slot.removeAttribute('aria-busy');
    }
  }

  addButton.addEventListener('click', async () => {
    const created = await openCreateDialog(ctx);
    if (!created) return;
    await load();
    await showKeyDialog(created);
    const row = root.querySelector(`[data-test="key-row"][data-key-id="${CSS.escape(created.id)}"] [data-test="revoke-key"]`);
    if (row) row.focus();
  });
  await load();
}
