// The example shell: how the Actindo shell hosts the app. The Connections tab mounts it,
// Settings takes it out; the language switch and "Sign in again" update it in place.
//
// Query parameters (the end-to-end tests use them):
//   mode=element   use <cloudinary-connections> instead of mount()
//   tab=settings   start on Settings (the module is loaded, nothing mounted)
//   token=…        the token "Sign in again" issues (default: a random one)
//   stale=…        the token the session starts with (default: the issued one)
//   hostile=1      add hostile.css, rough global rules the app must withstand
import init, { mount } from '/cloudinary-connections.js';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'element' ? 'element' : 'mount';
const randomToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
const issued = params.get('token') ?? randomToken();
const basePath = '/examples/shell/connections';
const EVENTS = ['ready', 'saved', 'deleted', 'navigate', 'unauthorized'];

if (params.get('hostile') === '1') {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'hostile.css';
  document.head.append(link);
}

const panel = document.getElementById('shell-panel');
const log = document.getElementById('shell-log');
const lang = document.getElementById('shell-lang');

// What the tests look at: the session, the events the app sent, the calls of getToken.
const shell = {
  mode,
  token: params.get('stale') ?? issued,
  events: [],
  getTokenCalls: 0,
  handle: null,
  element: null,
  wasm: null,
};
window.shell = shell;

const getToken = async () => {
  shell.getTokenCalls += 1;
  return shell.token;
};

for (const name of EVENTS) {
  panel.addEventListener(`cloudinary-connections:${name}`, (ev) => {
    shell.events.push({ type: ev.type, detail: ev.detail });
    const li = document.createElement('li');
    li.textContent = `${ev.type} ${JSON.stringify(ev.detail)}`;
    log.append(li);
  });
}

function openConnections() {
  if (mode === 'element') {
    const el = document.createElement('cloudinary-connections');
    el.setAttribute('api-base', '/api');
    el.setAttribute('base-path', basePath);
    el.setAttribute('locale', lang.value);
    el.getToken = getToken;
    shell.element = el;
    panel.replaceChildren(el);
  } else {
    const host = document.createElement('div');
    host.id = 'shell-app';
    panel.replaceChildren(host);
    shell.handle = mount(host, { apiBase: '/api', getToken, locale: lang.value, basePath });
  }
}

function closeConnections() {
  if (shell.handle) {
    shell.handle.unmount();
    shell.handle.free();
    shell.handle = null;
  }
  shell.element = null;
  const settings = document.createElement('div');
  settings.className = 'shell-settings';
  settings.textContent = 'Settings of the Cloudinary module.';
  panel.replaceChildren(settings);
}

function select(tab) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    t.setAttribute('aria-selected', String(t.id === `shell-tab-${tab}`));
  }
  if (tab === 'connections') openConnections();
  else closeConnections();
}
shell.select = select;
// Empties the event log (the benchmark does, so that its memory figure is the app's).
shell.clearLog = () => {
  shell.events.length = 0;
  log.replaceChildren();
};

document.getElementById('shell-tab-connections').addEventListener('click', () => select('connections'));
document.getElementById('shell-tab-settings').addEventListener('click', () => select('settings'));

lang.addEventListener('change', () => {
  document.documentElement.lang = lang.value;
  shell.handle?.update({ locale: lang.value });
  shell.element?.setAttribute('locale', lang.value);
});

// A new session token; the app's screens refused as unauthorised try again with it.
document.getElementById('shell-sign-in').addEventListener('click', () => {
  shell.token = issued;
  shell.handle?.update({ getToken });
  if (shell.element) shell.element.getToken = getToken;
});

shell.wasm = await init();
// For the tests: the module's mount, to mount a second time into one element.
window.shellMount = mount;
select(params.get('tab') === 'settings' ? 'settings' : 'connections');
document.documentElement.dataset.shellReady = 'true';
