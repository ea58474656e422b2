// Sign in with an API token, or with email and password (POST /oauth/authorizations, as `heroku login -i` does).
import { api } from '../api.js';
import { session } from '../session.js';
import { act, field, h, status } from '../ui.js';

export function renderSignIn(main) {
  const report = status();
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });

  const passwordForm = h('form', { 'aria-labelledby': 'with-password' },
    h('h2', { id: 'with-password' }, 'With email and password'),
    field('Email', email),
    field('Password', password),
    h('button', { type: 'submit' }, 'Sign in'));
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    act(passwordForm.querySelector('button'), report, 'Signing in…', async () => {
      const authorization = await api('/oauth/authorizations', {
        method: 'POST',
        token: null,
        headers: { Authorization: `Basic ${base64(`${email.value.trim()}:${password.value}`)}` },
        body: { description: 'Slipway dashboard' },
      });
      enter(authorization.access_token.token);
    });
  });

  const tokenForm = h('form', { 'aria-labelledby': 'with-token' },
    h('h2', { id: 'with-token' }, 'With an API token'),
    field('API token', token, ['Printed by slipwayd at first start, or by ', h('code', {}, 'slipway auth:token'), '.']),
    h('button', { type: 'submit' }, 'Sign in with token'));
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    act(tokenForm.querySelector('button'), report, 'Checking the token…', async () => {
      await api('/account', { token: token.value.trim() }).catch((error) => {
        throw error.status === 401 ? new Error('This token is not valid. Copy it again, or sign in with email and password.') : error;
      });
      enter(token.value.trim());
    });
  });

  main.append(
    h('h1', {}, 'Sign in to Slipway'),
    report.element,
    h('div', { class: 'columns' }, passwordForm, tokenForm));
  email.focus();
}

function enter(token) {
  session.save(token);
  location.hash = '#/apps';
}

/** btoa only takes Latin-1; encode UTF-8 first so any email or password works. */
function base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
