// Account Settings → Phone numbers: the account's WhatsApp numbers, registration with the access token
// that proves the number is the account's (Pons asks the Cloud API before it stores anything), and
// release behind a confirm dialog. The token is write-only: it leaves this page only in the request
// that registers the number, and the list says only whether one is stored.
import { h, icon, uid, timeEl, setChildren } from './dom.js';
import { api } from './api.js';
import {
  toast, withBusy, confirmDialog, modal, createFieldErrors, errorMessage,
} from './ui.js';

const MAX_TOKEN = 2000;

/** The headline for a refused registration: what the status means to the user. */
function refusal(err) {
  if (err.status === 502) return 'Pons could not reach the WhatsApp Cloud API to check the token. Nothing was registered; try again.';
  if (err.status === 409) return err.error;
  if (err.status === 429) return `${err.error}: release a number first.`;
  return `Couldn't register the number: ${errorMessage(err)}`;
}

function field({ id, label, hint, input, error, optional }) {
  return h('div', { class: 'field' },
    h('label', { for: id, class: 'label' }, label, optional ? h('span', { class: 'subtle' }, ' (optional)') : null),
    input,
    hint ? h('p', { id: `${id}-hint`, class: 'field-hint' }, hint) : null,
    error);
}

function openRegisterDialog(ctx) {
  return new Promise((resolve) => {
    let created = null;
    const m = modal({
      title: 'Add phone number',
      description: 'Pons checks with the WhatsApp Cloud API that the access token can read this number before it adds it.',
      test: 'number-dialog',
      onClose: () => resolve(created),
    });
    const ids = { id: uid('number-id'), display: uid('number-display'), token: uid('number-token') };
    const input = (id, attrs) => h('input', {
      id, class: 'input', type: 'text', autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': `${id}-hint ${id}-error`, ...attrs,
    });
    const idInput = input(ids.id, {
      name: 'phoneNumberId', inputmode: 'numeric', maxlength: 64, class: 'input input-mono', autofocus: true,
      placeholder: 'e.g. 106540352242922', 'data-test': 'number-id',
    });
    const displayInput = input(ids.display, {
      name: 'displayPhoneNumber', type: 'tel', maxlength: 40, placeholder: '+15550783881', 'data-test': 'number-display',
    });
    const tokenInput = input(ids.token, {
      name: 'accessToken', type: 'password', maxlength: MAX_TOKEN, class: 'input input-mono',
      placeholder: 'EAAG…', 'data-test': 'number-token',
    });
    const errorEl = (id, name) => h('p', { id: `${id}-error`, class: 'field-error', hidden: true, 'data-test': `field-error-${name}` });
    const idError = errorEl(ids.id, 'phoneNumberId');
    const displayError = errorEl(ids.display, 'displayPhoneNumber');
    const tokenError = errorEl(ids.token, 'accessToken');
    const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, 'data-test': 'form-error' });
    const errors = createFieldErrors({
      phoneNumberId: { errorEl: idError, inputs: [idInput] },
      displayPhoneNumber: { errorEl: displayError, inputs: [displayInput] },
      accessToken: { errorEl: tokenError, inputs: [tokenInput] },
    });
    const form = h('form', { class: 'stack', novalidate: true, id: uid('number-form') },
      field({
        id: ids.id, label: 'Phone number ID', input: idInput, error: idError,
        hint: 'Meta\'s ID of the number (WhatsApp Manager → API Setup), not the phone number itself.',
      }),
      field({
        id: ids.display, label: 'Display phone number', input: displayInput, error: displayError,
        hint: 'How the number is shown in Pons and in event payloads.',
      }),
      field({
        id: ids.token, label: 'Cloud API access token', input: tokenInput, error: tokenError,
        hint: 'A token of the WhatsApp Business Account that holds the number. It proves the number is yours, is stored encrypted to send messages, and is never shown again.',
      }),
      formError);
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Cancel');
    const save = h('button', { type: 'submit', class: 'btn btn-primary', form: form.id, 'data-test': 'save-number' }, 'Add number');
    cancel.addEventListener('click', () => m.close('cancel'));
    [idInput, displayInput, tokenInput].forEach((el) => el.addEventListener('input', () => errors.clearFor(el)));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clearAll();
      formError.hidden = true;
      const phoneNumberId = idInput.value.trim();
      const displayPhoneNumber = displayInput.value.trim();
      const accessToken = tokenInput.value.trim();
      if (!/^[0-9]{1,64}$/.test(phoneNumberId)) errors.set('phoneNumberId', 'Enter Meta\'s numeric phone number ID.');
      if (!displayPhoneNumber) errors.set('displayPhoneNumber', 'Enter the phone number, e.g. +15550783881.');
      if (!accessToken) errors.set('accessToken', 'Paste an access token: it proves the number is yours.');
      if (errors.focusFirstInvalid()) return;
      try {
        created = await withBusy(save, () => api.registerNumber(ctx.account.id, { phoneNumberId, displayPhoneNumber, accessToken }));
        tokenInput.value = '';
        m.close('saved');
      } catch (err) {
        created = null;
        const rest = err.details ? errors.apply(err.details) : [];
        setChildren(formError, h('strong', null, refusal(err)),
          rest.length ? h('ul', null, rest.map((d) => h('li', null, d))) : null);
        formError.hidden = false;
        if (!errors.focusFirstInvalid()) tokenInput.focus();
      }
    });
    m.body.append(form);
    m.footer.append(cancel, save);
    m.open();
  });
}

function numberRow(ctx, number, reload) {
  const label = number.displayPhoneNumber || number.phoneNumberId;
  const release = h('button', { type: 'button', class: 'btn btn-danger-outline btn-sm', 'data-test': 'release-number' },
    icon('trash'), 'Release', h('span', { class: 'sr-only' }, ` ${label}`));
  release.addEventListener('click', async () => {
    const released = await confirmDialog({
      title: 'Release this number?',
      message: h('div', { class: 'stack-sm' },
        h('p', null, 'Release ', h('strong', null, label), ' (', h('span', { class: 'mono' }, number.phoneNumberId),
          ')? Its events are no longer forwarded, and its stored access token is deleted.'),
        h('p', { class: 'subtle' }, 'You can add it again later with an access token.')),
      confirmLabel: 'Release number',
      tone: 'danger',
      confirmTest: 'confirm-release',
      test: 'release-dialog',
      action: () => api.releaseNumber(ctx.account.id, number.phoneNumberId),
    });
    if (!released) return;
    toast(`${label} was released.`);
    await reload();
  });
  return h('tr', { 'data-test': 'number-row', 'data-number-id': number.phoneNumberId },
    h('td', null, h('strong', { 'data-test': 'number-display-cell' }, number.displayPhoneNumber)),
    h('td', { class: 'mono nowrap', 'data-test': 'number-id-cell' }, number.phoneNumberId),
    h('td', { class: 'nowrap', 'data-test': 'number-token-cell' },
      number.hasAccessToken ? h('span', null, icon('lock'), ' Stored') : h('span', { class: 'subtle' }, 'None')),
    h('td', { class: 'nowrap' }, timeEl(number.createdAt)),
    h('td', { class: 'cell-actions' }, release));
}

/** Renders the phone numbers page. */
export async function renderNumbers(ctx, root) {
  const addButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'add-number' },
    icon('plus'), 'Add number');
  const tbody = h('tbody');
  const table = h('table', { class: 'table', 'data-test': 'numbers-table' },
    h('caption', { class: 'sr-only' }, 'WhatsApp phone numbers, oldest first'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Number'),
      h('th', { scope: 'col' }, 'Phone number ID'),
      h('th', { scope: 'col' }, 'Access token'),
      h('th', { scope: 'col' }, 'Added'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);
  const slot = h('div', { class: 'list-slot', 'aria-busy': 'true' });
  const count = h('span', { class: 'count-badge', hidden: true, 'data-test': 'number-count' });

  setChildren(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('h1', { class: 'page-title', tabindex: -1 }, 'Phone numbers'),
        h('p', { class: 'page-lede' },
          'The WhatsApp numbers whose events Pons forwards for this account. A number belongs to one account: adding it takes an access token that proves it is yours.')),
      h('div', { class: 'page-actions' }, addButton)),
    h('section', { 'aria-labelledby': 'numbers-heading' },
      h('div', { class: 'section-head' }, h('h2', { id: 'numbers-heading', class: 'section-title' }, 'Numbers', count)),
      slot));

  async function load() {
    slot.setAttribute('aria-busy', 'true');
    try {
      const numbers = await api.numbers(ctx.account.id);
      if (!root.isConnected) return;
      ctx.numbers = numbers;
      count.hidden = false;
      count.textContent = String(numbers.length);
      if (numbers.length === 0) {
        setChildren(slot, h('div', { class: 'empty', 'data-test': 'numbers-empty' },
          h('h2', null, 'No phone numbers yet'),
          h('p', null, 'Add a WhatsApp number to forward its messages and statuses to your webhook targets.')));
      } else {
        setChildren(tbody, numbers.map((n) => numberRow(ctx, n, load)));
        setChildren(slot, h('div', { class: 'table-wrap' }, table));
      }
    } catch (err) {
      if (err.status === 401) return;
      const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Try again');
      retry.addEventListener('click', load);
      setChildren(slot, h('div', { class: 'empty empty-error', role: 'alert' },
        h('h2', null, 'Couldn\'t load your phone numbers'),
        h('p', null, errorMessage(err)),
        retry));
    } finally {
      slot.removeAttribute('aria-busy');
    }
  }

  addButton.addEventListener('click', async () => {
    const created = await openRegisterDialog(ctx);
    if (!created) return;
    toast(`${created.displayPhoneNumber} was added.`);
    await load();
    const row = root.querySelector(`[data-test="number-row"][data-number-id="${CSS.escape(created.phoneNumberId)}"] [data-test="release-number"]`);
    if (row) row.focus();
  });
  await load();
}
