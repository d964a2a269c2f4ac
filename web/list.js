// SPDX-License-Identifier: GPL-3.0-or-later
// list.js - the list (#/list?status=&source=&company=&search=&since=&until=&sort=&page=):
// applications.list's filters and sorts, 50 rows a page; the filters live in the hash.
import { api, h, heading, field, options, STATUSES, fmtDate, LIST_PAGE as PAGE, LIST_FILTERS as FILTERS,
	listRequest } from './app.js';

export const title = () => 'Applications';
export const interested = (ev) => /^application\.|^(import\.done|mail\.applied)$/.test(ev.event);

const SORTS = [['-applied_at', 'Applied, newest first'], ['applied_at', 'Applied, oldest first'],
	['-updated_at', 'Changed, newest first'], ['company', 'Company'], ['position', 'Position'],
	['status', 'Status'], ['-created_at', 'Added, newest first'], ['id', 'Id']];

function hashFor(params, page) {
	const q = new URLSearchParams();
	for (const k of FILTERS)
		if (params[k])
			q.set(k, params[k]);
	if (page > 1)
		q.set('page', String(page));
	const s = q.toString();
	return '#/list' + (s ? '?' + s : '');
}

// sent: the request app.js sent while this module loaded, on the first render
export async function render(route, sent) {
	const p = {};
	for (const k of FILTERS)
		p[k] = route.query.get(k) || '';
	const page = Math.max(1, parseInt(route.query.get('page') || '1', 10) || 1);
	const rows = await (sent || api('applications.list', listRequest(route.query)));
	const hasNext = rows.length > PAGE;

	const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter applications' },
		field('Search', h('input', { type: 'search', name: 'search', value: p.search, placeholder: 'words in any field' })),
		field('Status', h('select', { name: 'status' }, options(STATUSES, p.status, 'any'))),
		field('Source', h('input', { type: 'text', name: 'source', value: p.source })),
		field('Company', h('input', { type: 'text', name: 'company', value: p.company })),
		field('Applied from', h('input', { type: 'date', name: 'since', value: p.since })),
		field('Applied until', h('input', { type: 'date', name: 'until', value: p.until })),
		field('Sort', h('select', { name: 'sort' }, options(SORTS, p.sort || '-applied_at'))),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'),
			h('a', { href: '#/list', class: 'button' }, 'Clear')));
	form.addEventListener('submit', (e) => {
		e.preventDefault();
		const fd = new FormData(form);
		const next = {};
		for (const k of FILTERS)
			next[k] = (fd.get(k) || '').trim();
		if (next.sort === '-applied_at')
			next.sort = '';
		location.hash = hashFor(next, 1);
	});

	const tbody = h('tbody');
	const frag = document.createDocumentFragment();
	for (const a of rows.slice(0, PAGE)) {
		frag.append(h('tr', {},
			h('td', {}, h('a', { href: `#/app/${a.id}` }, a.company)),
			h('td', {}, a.position),
			h('td', {}, h('span', { class: `status s-${a.status}` }, a.status)),
			h('td', { class: 'num' }, a.days_in_stage ?? ''),
			h('td', {}, a.source || ''),
			h('td', {}, a.applied_at ? fmtDate(a.applied_at) : '')));
	}
	tbody.append(frag);
	const table = rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'apps' },
		h('caption', { class: 'visually-hidden' }, 'Applications'),
		h('thead', {}, h('tr', {}, ...['Company', 'Position', 'Status', 'Days in stage', 'Source', 'Applied']
			.map((t) => h('th', { scope: 'col' }, t)))), tbody)) : h('p', {}, 'No applications match.');
	const nav = h('nav', { class: 'pager', 'aria-label': 'Pages of the list' },
		page > 1 ? h('a', { href: hashFor(p, page - 1), rel: 'prev' }, '← Previous') : null,
		h('span', {}, `Page ${page}`),
		hasNext ? h('a', { href: hashFor(p, page + 1), rel: 'next' }, 'Next →') : null);
	return h('div', {}, heading('Applications'), form, table, nav);
}
