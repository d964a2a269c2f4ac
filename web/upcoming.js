// SPDX-License-Identifier: GPL-3.0-or-later
// upcoming.js - upcoming interviews and due reminders (#/upcoming, the `upcoming` method),
// and the interview rows and forms (add, edit, remove) that the application page shares.
import { api, attempt, h, heading, field, options, fmtDate, refresh, announce, toLocalInput, fromLocalInput, ftsQuery } from './app.js';
import { reminderRow } from './detail.js';

export const title = () => 'Upcoming';
export const interested = (ev) => /^(reminder|interview|application)\.|^(import\.done|mail\.applied)$/.test(ev.event);

const TYPES = [['', 'unspecified'], ['phone', 'phone'], ['video', 'video'], ['onsite', 'onsite']];

// the fields of an interview; i: the interview to edit, or null
function interviewFields(i) {
	const minutes = i ? Math.round((new Date(i.ends_at) - new Date(i.starts_at)) / 60000) : 60;
	return {
		at: h('input', { type: 'datetime-local', name: 'at', required: true, value: i ? toLocalInput(i.starts_at) : '' }),
		duration: h('input', { type: 'number', name: 'duration', min: '5', max: '1440', step: '5', value: String(minutes) }),
		type: h('select', { name: 'type' }, options(TYPES, i ? i.type || '' : '')),
		where: h('input', { type: 'text', name: 'where', value: i ? i.location || '' : '' }),
		notes: h('input', { type: 'text', name: 'notes', value: i ? i.notes || '' : '' }),
	};
}
function params(c, editing) {
	const p = { at: fromLocalInput(c.at.value), duration: `${c.duration.value || 60}m` };
	for (const k of ['type', 'where', 'notes']) {
		const v = c[k].value.trim();
		if (v)
			p[k] = v;
		else if (editing)
			p[k] = null;
	}
	return p;
}
function fieldsOf(c, prefix) {
	return [field(`${prefix}date and time`, c.at), field('Minutes', c.duration), field('Type', c.type),
		field('Where', c.where), field('Notes', c.notes)];
}

// app: the application id, or null to let the user pick one
export function interviewForm(app) {
	const c = interviewFields(null);
	const form = h('form', { class: 'inline-form interview-form', 'aria-label': 'Add an interview' });
	let pick = null;
	if (app === null) {
		pick = applicationPicker('Application');
		form.append(pick.node);
	}
	form.append(...fieldsOf(c, 'Interview '), h('button', { type: 'submit' }, 'Add interview'));
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		const id = app === null ? Number(pick.select.value) : app;
		if (!id)
			return;
		if (await attempt(() => api('interviews.add', { application: id, ...params(c, false) }))) {
			announce('Interview added');
			delete form.dataset.dirty;
			refresh();
		}
	});
	return h('details', { class: 'add' }, h('summary', {}, 'Add an interview'), form);
}

export function interviewRow(i) {
	const who = i.company ? `${i.company}, ${i.position}` : 'the interview';
	const c = interviewFields(i);
	const form = h('form', { class: 'inline-form', 'aria-label': `Edit the interview with ${who}` },
		...fieldsOf(c, 'New '), h('button', { type: 'submit' }, 'Save'));
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		if (await attempt(() => api('interviews.edit', { id: i.id, ...params(c, true) }))) {
			delete form.dataset.dirty;
			refresh();
		}
	});
	return h('li', { class: 'interview-row' },
		h('span', {}, h('time', { datetime: i.starts_at }, fmtDate(i.starts_at)), ' ', h('strong', {}, i.type || 'interview'),
			i.location ? ` · ${i.location}` : '', i.meeting_url ? h('span', {}, ' · ', h('a', { href: i.meeting_url, rel: 'noreferrer' }, 'meeting link')) : null,
			i.company ? h('span', {}, ' · ', h('a', { href: `#/app/${i.application_id}` }, who)) : null),
		h('span', { class: 'row-actions' },
			h('details', {}, h('summary', { 'aria-label': `Edit the interview at ${fmtDate(i.starts_at)}` }, 'Edit'), form),
			h('button', { type: 'button', 'aria-label': `Remove the interview at ${fmtDate(i.starts_at)}`,
				onclick: async () => {
					if (confirm('Remove this interview?') && await attempt(() => api('interviews.remove', { id: i.id })))
						refresh();
				} }, 'Remove')));
}

// a search box and a select of the applications it finds (applications.list, search)
// initial: words to search for at once (a review entry's company)
export function applicationPicker(label, initial) {
	const input = h('input', { type: 'search', placeholder: 'company or position', value: initial || '' });
	const select = h('select', { required: true }, h('option', { value: '' }, 'type to search'));
	let timer = null;
	const search = (delay) => {
		clearTimeout(timer);
		timer = setTimeout(async () => {
			const q = ftsQuery(input.value);
			if (!q)
				return;
			const rows = await attempt(() => api('applications.list', { search: q, limit: 20, sort: '-updated_at' }));
			if (!rows)
				return;
			select.replaceChildren(...(rows.length ? rows.map((a) => h('option', { value: String(a.id) },
				`${a.company} — ${a.position} (${a.status}, #${a.id})`)) : [h('option', { value: '' }, 'nothing found')]));
		}, delay);
	};
	input.addEventListener('input', () => search(200));
	if (initial)
		search(0);
	return { node: h('div', { class: 'picker' }, field(`${label}: search`, input), field(label, select)), input, select };
}

export async function render() {
	const u = await api('upcoming', { days: 14, limit: 50 });
	return h('div', {},
		heading('Upcoming', h('span', { class: 'muted' }, `next ${u.days} days · ${u.in_progress} in progress`)),
		h('section', { 'aria-labelledby': 'up-int-h' }, h('h2', { id: 'up-int-h' }, 'Interviews'),
			u.interviews.length ? h('ul', { class: 'rows' }, u.interviews.map((i) => interviewRow(i))) : h('p', {}, 'No interviews coming.'),
			u.more_interviews ? h('p', { class: 'muted' }, `${u.more_interviews} more`) : null,
			interviewForm(null)),
		h('section', { 'aria-labelledby': 'up-rem-h' }, h('h2', { id: 'up-rem-h' }, 'Reminders due'),
			u.reminders.length ? h('ul', { class: 'rows' }, u.reminders.map(reminderRow)) : h('p', {}, 'Nothing due.'),
			u.more_reminders ? h('p', { class: 'muted' }, `${u.more_reminders} more`) : null));
}
