// SPDX-License-Identifier: GPL-3.0-or-later
// app.js - the web page's core: the API bridge (POST /api/METHOD), the message area, a
// small DOM builder, the hash router and the live updates from GET /events.

export const STATUSES = ['saved', 'applied', 'screen', 'assessment', 'technical', 'onsite', 'final', 'offer',
	'accepted', 'rejected', 'withdrawn', 'ghosted'];
export const KINDS = ['confirmation', 'rejection', 'interview', 'assessment', 'offer', 'recruiter', 'noise'];

// each route's module, loaded the first time the route is shown: the page loads no more
// than it shows
const routes = { board: './board.js', list: './list.js', app: './detail.js', review: './review.js',
	stats: './stats.js', upcoming: './upcoming.js' };
const loaded = {};
// The board's and the list's requests go out while their module loads, the first time:
// waiting for the module first cost 10-15 ms of the 100 ms budget (tests/bench/web.sh).
export const BOARD_LIMIT = 20; // cards per column; the rest are counted, and listed by the list page
export const LIST_PAGE = 50;   // rows a page of the list
export const LIST_FILTERS = ['search', 'status', 'source', 'company', 'since', 'until', 'sort'];
// applications.list's parameters for the list's hash query (one row more: is there a next page?)
export function listRequest(query) {
	const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
	const params = { limit: LIST_PAGE + 1, offset: (page - 1) * LIST_PAGE };
	for (const k of LIST_FILTERS)
		if (query.get(k))
			params[k] = query.get(k);
	return params;
}
const early = {
	board: () => api('applications.board', { limit: BOARD_LIMIT }),
	list: (route) => api('applications.list', listRequest(route.query)),
};
async function routeModule(name) {
	if (!loaded[name])
		loaded[name] = await import(routes[name]);
	return loaded[name];
}
let current = null;   // { name, mod, arg, query }
let generation = 0;   // a render that finds a newer one started drops its result

// ---- the API ----
export class ApiError extends Error {
	constructor(status, err) {
		super(err.message || `HTTP ${status}`);
		this.status = status;
		this.code = err.code;
		this.data = err.data;
	}
}

export async function api(method, params = {}) {
	let res;
	try {
		res = await fetch('/api/' + method, {
			method: 'POST', credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params),
		});
	} catch (e) {
		throw new ApiError(0, { code: 'network', message: 'apptrackd cannot be reached: ' + e.message });
	}
	let body = null;
	try { body = await res.json(); } catch (e) { body = null; }
	if (!res.ok) {
		if (res.status === 401)
			throw new ApiError(401, { code: 'session', message: 'No session: run "apptrackctl web" for a new link.' });
		throw new ApiError(res.status, (body && body.error) || { code: 'http', message: `HTTP ${res.status}` });
	}
	return body;
}

// ---- messages ----
const alertBox = () => document.getElementById('alert');
export function showError(e) {
	const box = alertBox();
	box.replaceChildren(h('span', {}, e instanceof ApiError || e instanceof Error ? e.message : String(e)),
		h('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss the message', onclick: clearError }, '×'));
	box.hidden = false;
}
export function clearError() {
	alertBox().hidden = true;
	alertBox().replaceChildren();
}
export function announce(text) {
	document.getElementById('live').textContent = text;
}
// runs an action, showing its error; returns its result or undefined
export async function attempt(fn) {
	try {
		const r = await fn();
		clearError();
		return r;
	} catch (e) {
		showError(e);
		return undefined;
	}
}

// ---- DOM ----
// h('a', {href, class, onclick, dataset: {...}}, children...): an element; strings become text
export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k.startsWith('on'))
			el.addEventListener(k.slice(2), v);
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else if (k === 'value' || k === 'checked')
			el[k] = v;
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat()) {
		if (c !== null && c !== undefined && c !== false)
			el.append(c);
	}
	return el;
}
// a labelled form field: label + control, ids made from the name
let fieldSeq = 0;
export function field(label, control) {
	const id = control.id || `f${++fieldSeq}`;
	control.id = id;
	return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
export function options(values, selected, blank) {
	const opts = values.map((v) => {
		const [val, text] = Array.isArray(v) ? v : [v, v];
		return h('option', { value: val, selected: val === selected }, text);
	});
	return blank !== undefined ? [h('option', { value: '' }, blank), ...opts] : opts;
}
export function fmtDate(iso) {
	if (!iso)
		return '';
	const d = new Date(iso);
	if (isNaN(d))
		return iso;
	return iso.length <= 10 ? d.toLocaleDateString() :
		d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}
// "2026-12-04T10:00:00Z" -> the value of a datetime-local input, in local time
export function toLocalInput(iso) {
	if (!iso)
		return '';
	const d = new Date(iso);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
export function fromLocalInput(value) {
	return new Date(value).toISOString().replace(/\.\d+Z$/, 'Z');
}
// words typed into a picker -> an FTS5 prefix query ("acm glo" -> "acm* glo*")
export function ftsQuery(text) {
	return text.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean).map((w) => w + '*').join(' ');
}
export function heading(text, extra) {
	return h('div', { class: 'page-head' }, h('h1', {}, text), extra);
}
export function markRendered() {
	document.documentElement.dataset.rendered = String(performance.now());
}

// ---- the router ----
function parseHash() {
	const raw = location.hash.replace(/^#\/?/, '') || 'board';
	const [path, qs] = raw.split('?');
	const [name, arg] = path.split('/');
	return { name: routes[name] ? name : 'board', arg, query: new URLSearchParams(qs || '') };
}

async function render(focus) {
	const route = parseHash();
	const gen = ++generation;
	let mod;
	const first = !loaded[route.name] && early[route.name] ? early[route.name](route) : undefined;
	if (first)
		first.catch(() => {}); // a failure is render()'s to show, through mod.render()
	try {
		mod = await routeModule(route.name);
	} catch (e) {
		showError(e);
		markRendered();
		return;
	}
	if (gen !== generation)
		return;
	current = { ...route, mod };
	for (const a of document.querySelectorAll('nav a')) {
		if (a.dataset.route === route.name || (route.name === 'app' && a.dataset.route === 'list'))
			a.setAttribute('aria-current', 'page');
		else
			a.removeAttribute('aria-current');
	}
	const main = document.getElementById('main');
	delete document.documentElement.dataset.rendered;
	try {
		const node = await mod.render(route, first);
		if (gen !== generation)
			return;
		main.replaceChildren(node);
		clearError();
		document.title = `${mod.title(route)} - apptrack`;
		if (focus)
			main.focus({ preventScroll: true });
		if (mod.after)
			mod.after(route);
	} catch (e) {
		if (gen !== generation)
			return;
		main.replaceChildren(h('h1', {}, mod.title(route)));
		showError(e);
	}
	markRendered();
}
// goes to a route; the same route is rendered again
export function navigate(hash) {
	if (location.hash === hash)
		render(true);
	else
		location.hash = hash;
}
// re-renders the current route, keeping the focused element's id when it is there again
export async function refresh() {
	const focused = document.activeElement && document.activeElement.id;
	const y = window.scrollY;
	await render(false);
	window.scrollTo(0, y);
	if (focused) {
		const el = document.getElementById(focused);
		if (el)
			el.focus({ preventScroll: true });
	}
}

// ---- live updates ----
const EVENTS = ['application.added', 'application.changed', 'application.removed', 'reminder.changed',
	'interview.added', 'interview.changed', 'interview.removed', 'contact.added', 'contact.changed',
	'contact.removed', 'review.changed', 'review.removed', 'import.done', 'mail.applied', 'lessons.changed'];
let pending = null;
function onEvent(ev) {
	let data = {};
	try { data = JSON.parse(ev.data); } catch (e) { /* keep {} */ }
	data.event = data.event || ev.type;
	if (!current || !current.mod.interested(data, current))
		return;
	// a busy moment (a mail batch, an import) refreshes once
	clearTimeout(pending);
	document.documentElement.dataset.pending = '1'; // tests wait for a quiet page
	pending = setTimeout(async () => {
		// a dialog open or a field being typed in is not taken away from under the user
		if (!document.querySelector('dialog[open]') && !document.querySelector('main [data-dirty]')) {
			await refresh();
			announce('Updated ' + new Date().toLocaleTimeString());
		}
		const d = document.documentElement.dataset;
		d.updates = String(Number(d.updates || 0) + 1); // how many events were taken in
		delete d.pending;
	}, 120);
}
function listen() {
	const es = new EventSource('/events');
	for (const name of EVENTS)
		es.addEventListener(name, onEvent);
	es.addEventListener('open', () => document.documentElement.dataset.live = 'open');
	es.addEventListener('error', () => {
		document.documentElement.dataset.live = 'error';
		// the browser retries by itself while the stream is CONNECTING; a refused stream is closed
		if (es.readyState === EventSource.CLOSED)
			setTimeout(listen, 5000);
	});
}

window.addEventListener('hashchange', () => render(true));
// A module script runs once the document is parsed: the first render starts now, not at
// DOMContentLoaded, which waits for it.
// edits in forms mark them dirty so that live updates do not overwrite them
document.getElementById('main').addEventListener('input', (e) => {
	const form = e.target.closest('form');
	if (form && !form.classList.contains('filters'))
		form.dataset.dirty = '1';
});
render(false);
listen();
