// The sandbox page: a small Slack workspace drawn from the emulator's state. The server sends a
// "something changed" event (SSE); the page refetches the whole snapshot and redraws what differs.
// Everything a person does is one POST that the server turns into a signed request to the bot.
import { renderBlocks } from './blocks.js';
import { h } from './dom.js';
import { fileList } from './files.js';
import { mrkdwnToHtml } from './mrkdwn.js';
import { renderModal, showModalErrors } from './modal.js';

const $ = (id) => document.getElementById(id);

/** What the person is looking at; the rest comes from the server. */
const ui = {
  me: localStorage.getItem('steward-sandbox-me') ?? undefined,
  pane: { kind: 'channel', id: undefined },
  /** messages seen per pane, for unread badges */
  seen: {},
  started: false,
};
let state;
let drawn = { pane: '', modal: '' };

// ---- talking to the server ------------------------------------------------------------------

async function post(action, body) {
  const response = await fetch(`/sandbox/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ui.me, ...body }),
  });
  const result = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok && !result.error) result.error = `HTTP ${response.status}`;
  refresh();
  return result;
}

let fetching;
let again = false;
/** Coalesces bursts of change events into one fetch at a time. */
function refresh() {
  if (fetching) {
    again = true;
    return fetching;
  }
  fetching = (async () => {
    try {
      do {
        again = false;
        const response = await fetch('/sandbox/api/state', { cache: 'no-store' });
        state = await response.json();
        draw();
      } while (again);
    } catch (error) {
      toast(`Lost the sandbox: ${error.message}`);
    } finally {
      fetching = undefined;
    }
  })();
  return fetching;
}

function listen() {
  const events = new EventSource('/sandbox/api/events');
  events.addEventListener('change', () => refresh());
  events.addEventListener('open', () => {
    $('offline').toggleAttribute('hidden', true);
    refresh(); // whatever happened while the stream was down
  });
  events.addEventListener('error', () => $('offline').toggleAttribute('hidden', false));
}

// ---- names ------------------------------------------------------------------------------------

const names = {
  userName(id) {
    if (id === state?.workspace.botUserId) return 'Steward';
    const person = state?.people.find((p) => p.id === id);
    return person ? (person.realName ?? person.name) : undefined;
  },
  channelName(id) {
    return state?.channels.find((c) => c.id === id)?.name;
  },
};

const personName = (id) => names.userName(id) ?? id;
const firstName = (id) => personName(id).split(' ')[0];

function formatTime(iso, options) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: state.clock.timeZone, ...options }).format(
    new Date(iso),
  );
}

const tsToIso = (ts) => new Date(Number(ts) * 1000).toISOString();

// ---- panes ------------------------------------------------------------------------------------

function paneKey(pane = ui.pane) {
  return pane.kind === 'home' ? 'home' : pane.kind === 'dm' ? `dm:${pane.userId}` : `channel:${pane.id}`;
}

/** The conversation id the pane shows (a DM may not exist yet: then the person's id stands for it). */
function paneConversation(pane = ui.pane) {
  if (pane.kind === 'channel') return pane.id;
  if (pane.kind === 'dm') return state.dms[pane.userId] ?? pane.userId;
  return undefined;
}

function paneMessages(pane = ui.pane) {
  const conversation = paneConversation(pane);
  if (!conversation) return [];
  const messages = (state.messages[conversation] ?? []).map((m) => ({ ...m, kind: 'message' }));
  const viewer = pane.kind === 'dm' ? pane.userId : ui.me;
  const ephemerals = state.ephemerals
    .filter((e) => e.channel === conversation && e.user === viewer)
    .map((e) => ({ ...e, kind: 'ephemeral' }));
  return [...messages, ...ephemerals].sort((a, b) => Number(a.ts) - Number(b.ts));
}

function open(pane) {
  // A DM is one person's: opening it makes you that person, as only they see it in Slack.
  if (pane.kind === 'dm') setMe(pane.userId);
  ui.pane = pane;
  drawn.pane = '';
  draw();
  if (pane.kind === 'home') openHome();
  else $('composer-input').focus();
}

async function openHome() {
  const result = await post('home', {});
  if (result.error) toast(result.error);
}

function setMe(userId) {
  if (ui.me === userId) return;
  ui.me = userId;
  localStorage.setItem('steward-sandbox-me', userId);
  drawn = { pane: '', modal: '' };
  if (ui.pane.kind === 'dm') ui.pane = { kind: 'dm', userId };
  if (ui.pane.kind === 'home') openHome();
}

// ---- drawing ----------------------------------------------------------------------------------

function draw() {
  if (!state) return;
  if (!ui.me || !state.people.some((p) => p.id === ui.me)) ui.me = state.people.find((p) => p.isAdmin)?.id;
  if (ui.pane.kind === 'channel') ui.pane.id ??= state.channels[0]?.id;
  if (!ui.started) {
    // What was there before the page opened is not news.
    ui.started = true;
    for (const c of state.channels)
      ui.seen[paneKey({ kind: 'channel', id: c.id })] = seenByAll({ kind: 'channel', id: c.id });
    for (const p of state.people)
      ui.seen[paneKey({ kind: 'dm', userId: p.id })] = seenByAll({ kind: 'dm', userId: p.id });
  }
  drawTopbar();
  drawSidebar();
  drawPane();
  drawModal();
}

function drawTopbar() {
  $('workspace-name').textContent = state.workspace.name;
  const { clock } = state;
  const now = formatTime(clock.now, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const time = formatTime(clock.now, { hour: '2-digit', minute: '2-digit' });
  $('clock-now').textContent = `${now} · ${time}`;
  $('clock-now').dateTime = clock.now;
  $('clock-zone').textContent = clock.timeZone;
  $('advance').title = `Moves the clock to ${formatTime(clock.nextReminder, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })} and runs the reminders and proposals jobs there`;
  const picker = $('you-are');
  if (picker.options.length !== state.people.length) {
    picker.replaceChildren(
      ...state.people.map((p) =>
        h('option', { value: p.id }, `${p.realName ?? p.name}${p.isAdmin ? ' (workspace admin)' : ''}`),
      ),
    );
  }
  picker.value = ui.me;
}

function badge(count) {
  return count > 0 ? h('span', { class: 'badge', 'aria-label': `${count} new` }, String(count)) : null;
}

/**
 * Messages everyone in the conversation sees: what the badges count. An ephemeral is one person's
 * answer to what they just did, and switching who you are would count another's as news.
 */
const seenByAll = (pane) => paneMessages(pane).filter((m) => m.kind === 'message').length;

function unread(pane) {
  const key = paneKey(pane);
  const count = seenByAll(pane);
  if (key === paneKey()) ui.seen[key] = count;
  return count - (ui.seen[key] ?? 0);
}

function drawSidebar() {
  const link = (pane, label, extra) => {
    const current = paneKey(pane) === paneKey();
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: `nav-item${current ? ' current' : ''}`,
          'aria-current': current ? 'page' : undefined,
          onclick: () => open(pane),
        },
        label,
        extra,
      ),
    );
  };
  $('channel-list').replaceChildren(
    ...state.channels.map((c) => {
      const pane = { kind: 'channel', id: c.id };
      // Slack marks a channel shared with another organisation; so does the page.
      const shared = c.isExtShared
        ? h('span', { class: 'shared', title: 'Shared with another organisation' }, '⇄')
        : null;
      return link(
        pane,
        h('span', {}, h('span', { class: 'hash' }, '#'), c.name, shared),
        badge(unread(pane)),
      );
    }),
  );
  $('dm-list').replaceChildren(
    ...state.people.map((p) => {
      const pane = { kind: 'dm', userId: p.id };
      return link(
        pane,
        h('span', {}, avatar(p.id, 'small'), `Steward → ${firstName(p.id)}`),
        badge(unread(pane)),
      );
    }),
  );
  $('home-list').replaceChildren(
    link({ kind: 'home' }, h('span', {}, avatar(state.workspace.botUserId, 'small'), 'Steward · Home')),
  );
  drawHints();
}

function drawHints() {
  const c = state.workspace.command;
  const others = state.people.filter((p) => !p.isAdmin).map((p) => `@${p.name}`);
  const lead = state.people.find((p) => p.isAdmin);
  // The first one added is the first proposed owner: away while owning is what triggers a handover.
  const owner = others[0] ?? '@someone';
  const week = nextWeek(state.clock.now);
  const hints = [
    [`As ${lead ? firstName(lead.id) : 'the lead'}, in #team-rotation:`, `${c} team add ${others.join(' ')}`],
    ['Start an engagement and fill the form:', `${c} new`],
    ['Approve the proposal (try as a member first: only leads may), then read the DM and the kickoff.'],
    ['Advance the clock: reminders arrive in the engagement channel; click Mark done.'],
    ['Workload and who is next:', `${c} load`],
    [
      'Time away for the owner over a due date (then advance the clock to the next reminder time: a stand-in is proposed, or a handover for a long absence):',
      `${c} away ${owner} ${week.start} ${week.end}`,
    ],
    ['Everything else:', `${c} help`],
  ];
  $('hints').replaceChildren(
    ...hints.map(([what, command]) =>
      h(
        'li',
        {},
        what,
        command &&
          h(
            'button',
            {
              type: 'button',
              class: 'hint-command',
              title: 'Put it in the composer',
              onclick: () => {
                if (ui.pane.kind !== 'channel') open({ kind: 'channel', id: state.channels[0]?.id });
                $('composer-input').value = command;
                $('composer-input').focus();
              },
            },
            command,
          ),
      ),
    ),
  );
}

/** Next Monday to Friday, as YYYY-MM-DD. */
function nextWeek(iso) {
  const day = new Date(iso);
  const ahead = (8 - day.getUTCDay()) % 7 || 7;
  const start = new Date(day.getTime() + ahead * 86_400_000);
  const end = new Date(start.getTime() + 4 * 86_400_000);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

function avatar(userId, size = '') {
  const bot = userId === state.workspace.botUserId;
  const initial = bot ? 'S' : personName(userId).slice(0, 1);
  const hue = bot ? 160 : [...userId].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 360;
  return h(
    'span',
    { class: `avatar ${size}${bot ? ' bot' : ''}`, style: `--hue:${hue}`, 'aria-hidden': 'true' },
    initial,
  );
}

function drawPane() {
  const pane = ui.pane;
  const title = $('pane-title');
  const subtitle = $('pane-subtitle');
  $('composer').hidden = pane.kind === 'home';
  if (pane.kind === 'home') {
    title.textContent = 'Steward · Home';
    subtitle.textContent = `What ${firstName(ui.me)} sees on Steward's App Home.`;
    const home = state.homes[ui.me];
    const key = `home:${ui.me}:${home?.hash ?? ''}`;
    if (drawn.pane === key) return;
    drawn.pane = key;
    $('messages').replaceChildren(
      home
        ? h(
            'div',
            { class: 'home' },
            renderBlocks(home.blocks, {
              names,
              onButton: (element) => click({ viewId: home.id }, element),
            }),
          )
        : h('p', { class: 'empty' }, 'Opening the Home tab…'),
    );
    return;
  }
  if (pane.kind === 'channel') {
    const channel = state.channels.find((c) => c.id === pane.id);
    title.replaceChildren(h('span', { class: 'hash' }, '#'), channel?.name ?? pane.id);
    subtitle.textContent = channel?.purpose ?? '';
    $('composer-input').placeholder =
      `Message #${channel?.name ?? ''} — or type ${state.workspace.command} help`;
  } else {
    title.textContent = `Steward → ${personName(pane.userId)}`;
    subtitle.textContent = `Steward's direct messages to ${firstName(pane.userId)} (only they see these).`;
    $('composer-input').placeholder = `Message Steward — or type ${state.workspace.command} help`;
  }
  const messages = paneMessages(pane);
  const key = `${paneKey(pane)}:${ui.me}:${JSON.stringify(messages)}:${state.clock.timeZone}`;
  if (drawn.pane === key) return;
  const list = $('messages');
  // Follow new messages unless the person scrolled up to read older ones.
  const follow =
    !drawn.pane.startsWith(`${paneKey(pane)}:`) ||
    list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  drawn.pane = key;
  list.replaceChildren(...messageList(messages));
  if (messages.length === 0) list.append(h('p', { class: 'empty' }, 'No messages yet.'));
  if (follow) list.scrollTop = list.scrollHeight;
}

function messageList(messages) {
  const out = [];
  let lastDay;
  const replies = new Map();
  for (const m of messages) {
    if (m.threadTs && m.kind === 'message') replies.set(m.threadTs, [...(replies.get(m.threadTs) ?? []), m]);
  }
  for (const m of messages) {
    if (m.threadTs && m.kind === 'message' && messages.some((p) => p.ts === m.threadTs)) continue;
    const day = formatTime(tsToIso(m.ts), { weekday: 'long', day: 'numeric', month: 'long' });
    if (day !== lastDay) {
      out.push(h('div', { class: 'day', role: 'separator' }, h('span', {}, day)));
      lastDay = day;
    }
    out.push(messageElement(m));
    for (const reply of replies.get(m.ts) ?? []) out.push(messageElement(reply, true));
  }
  return out;
}

function messageElement(m, inThread = false) {
  const author = m.kind === 'ephemeral' || m.botId ? state.workspace.botUserId : m.user;
  const bot = author === state.workspace.botUserId;
  const where = { channelId: m.channel, ts: m.ts };
  const body =
    m.blocks && m.blocks.length > 0
      ? renderBlocks(m.blocks, { names, onButton: (element) => click(where, element) })
      : h('div', { class: 'bk-text', html: mrkdwnToHtml(m.text, names) });
  return h(
    'article',
    {
      class: `message${m.kind === 'ephemeral' ? ' ephemeral' : ''}${inThread ? ' reply' : ''}`,
      dataset: { ts: m.ts },
    },
    avatar(author),
    h(
      'div',
      { class: 'message-body' },
      h(
        'div',
        { class: 'message-meta' },
        h('strong', {}, personName(author)),
        bot && h('span', { class: 'app-badge' }, 'APP'),
        h(
          'time',
          { datetime: tsToIso(m.ts) },
          formatTime(tsToIso(m.ts), { hour: '2-digit', minute: '2-digit' }),
        ),
        m.updatedAt && h('span', { class: 'edited' }, '(edited)'),
      ),
      body,
      m.files?.length > 0 && fileList(m.files),
      m.kind === 'ephemeral' && h('p', { class: 'ephemeral-note' }, 'Only visible to you'),
    ),
  );
}

function drawModal() {
  const view = state.views[ui.me];
  const layer = $('modal-layer');
  const key = view ? `${ui.me}:${view.id}:${view.hash}` : '';
  if (drawn.modal === key) return;
  drawn.modal = key;
  if (!view) {
    layer.hidden = true;
    layer.replaceChildren();
    return;
  }
  const form = renderModal(view, {
    names,
    people: state.people,
    channels: state.channels,
    onButton: (element) => click({ viewId: view.id }, element),
    onClose: async () => {
      const result = await post('close', { viewId: view.id });
      if (result.error) toast(result.error);
    },
    onSubmit: async (values) => {
      const result = await post('submit', { viewId: view.id, values });
      showModalErrors(form, result.errors ?? {}, result.error);
    },
  });
  layer.replaceChildren(form);
  layer.hidden = false;
  form.querySelector('input, textarea, select')?.focus();
}

// ---- doing things -------------------------------------------------------------------------------

async function click(where, element) {
  const result = await post('click', { ...where, actionId: element.action_id, value: element.value });
  if (result.error) toast(result.error);
}

async function send(event) {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  const note = $('composer-note');
  note.textContent = '';
  input.disabled = true;
  try {
    const result = await post('command', { channelId: paneConversation(), text });
    if (result.error) note.textContent = result.error;
    else input.value = '';
  } finally {
    input.disabled = false;
    input.focus();
  }
}

async function advanceClock() {
  const button = $('advance');
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Running the scheduled jobs…';
  try {
    const result = await post('advance-clock', {});
    toast(
      result.error
        ? `Could not advance the clock: ${result.error}`
        : `Ran the reminders and proposals jobs for ${formatTime(result.clock.now, {
            weekday: 'long',
            day: 'numeric',
            month: 'long',
            hour: '2-digit',
            minute: '2-digit',
          })}.`,
    );
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

let toastTimer;
function toast(message) {
  const el = $('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 6000);
}

// ---- start ------------------------------------------------------------------------------------

$('composer').addEventListener('submit', send);
$('advance').addEventListener('click', advanceClock);
$('you-are').addEventListener('change', (event) => {
  setMe(event.target.value);
  draw();
});
document.addEventListener('keydown', (event) => {
  // Escape closes the modal, as in Slack (a confirmation dialog handles its own Escape).
  if (event.key !== 'Escape' || $('modal-layer').hidden || document.querySelector('dialog[open]')) return;
  $('modal-layer').querySelector('.modal-x')?.click();
});
document.addEventListener('click', (event) => {
  const link = event.target.closest('a.channel-link');
  if (!link) return;
  event.preventDefault();
  if (state.channels.some((c) => c.id === link.dataset.channel))
    open({ kind: 'channel', id: link.dataset.channel });
});
listen();
refresh();
