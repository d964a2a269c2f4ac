// SPDX-License-Identifier: GPL-3.0-or-later
// detail.js - one application (#/app/ID): its fields, editable (applications.edit, the
// status through applications.status); the timeline and the mail that changed it; notes;
// reminders (done, snooze); interviews (add, edit, remove); contacts.
import { api, attempt, h, heading, field, options, STATUSES, fmtDate, refresh, announce } from './app.js';
import { interviewForm, interviewRow } from './upcoming.js';

export const title = (route) => `Application ${route.arg}`;
// only the events about this application, or the reminders, interviews and contacts it
// shows, refresh it (an interview added or removed, a contact linked, also announce
// application.changed with the application's id)
const shown = { reminder: new Set(), interview: new Set(), contact: new Set() };
export function interested(ev, route) {
	if (ev.event.startsWith('application.'))
		return String(ev.id) === String(route.arg);
	if (ev.event === 'mail.applied' || ev.event === 'import.done')
		return true;
	const [kind] = ev.event.split('.');
	return !!shown[kind] && shown[kind].has(ev.id);
}

const TEXT_FIELDS = [['company', 'Company'], ['position', 'Position'], ['source', 'Source'], ['location', 'Location'],
	['salary', 'Salary'], ['url', 'Job URL']];

function fieldsForm(a) {
	const controls = {};
	const form = h('form', { class: 'grid-form', 'aria-labelledby': 'fields-h' });
	for (const [name, label] of TEXT_FIELDS) {
		controls[name] = h('input', { type: name === 'url' ? 'url' : 'text', name, value: a[name] || '', required: name === 'company' || name === 'position' });
		form.append(field(label, controls[name]));
	}
	controls.status = h('select', { name: 'status' }, options(STATUSES, a.status));
	controls.applied_at = h('input', { type: 'date', name: 'applied_at', value: a.applied_at || '' });
	controls.notes = h('textarea', { name: 'notes', rows: '3' }, a.notes || '');
	controls.job_description = h('textarea', { name: 'job_description', rows: '6' }, a.job_description || '');
	form.append(field('Status', controls.status), field('Applied on', controls.applied_at),
		h('div', { class: 'wide' }, field('Notes', controls.notes)),
		h('div', { class: 'wide' }, field('Job description', controls.job_description)),
		h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary' }, 'Save changes')));
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		const changes = {};
		for (const [name, el] of Object.entries(controls)) {
			if (name === 'status')
				continue;
			const v = el.value.trim();
			if (v !== (a[name] || ''))
				changes[name] = v === '' ? null : v;
		}
		const ok = await attempt(async () => {
			if (Object.keys(changes).length)
				await api('applications.edit', { id: a.id, ...changes });
			if (controls.status.value !== a.status)
				await api('applications.status', { id: a.id, status: controls.status.value });
			return true;
		});
		if (ok) {
			announce('Saved');
			delete form.dataset.dirty;
			refresh();
		}
	});
	return form;
}

function timeline(events) {
	const ol = h('ol', { class: 'timeline' });
	for (const ev of [...events].reverse()) {
		let what = ev.kind;
		if (ev.to_status)
			what = ev.from_status ? `${ev.from_status} → ${ev.to_status}` : `${ev.kind}: ${ev.to_status}`;
		ol.append(h('li', {},
			h('time', { datetime: ev.at }, fmtDate(ev.at)), ' ',
			h('strong', {}, what),
			ev.text ? h('span', { class: 'text' }, ' ', ev.text) : null,
			ev.mail_from || ev.mail_subject ?
				h('div', { class: 'mail' }, 'Mail from ', h('span', {}, ev.mail_from || '?'), ': ', h('em', {}, ev.mail_subject || '')) : null));
	}
	return ol;
}

function mails(events) {
	const rows = events.filter((e) => e.mail_from || e.mail_subject);
	if (!rows.length)
		return h('p', {}, 'No mail changed this application.');
	return h('div', { class: 'table-wrap' }, h('table', {},
		h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Sender'), h('th', { scope: 'col' }, 'Subject'), h('th', { scope: 'col' }, 'Date'))),
		h('tbody', {}, rows.map((e) => h('tr', {}, h('td', {}, e.mail_from || ''), h('td', {}, e.mail_subject || ''),
			h('td', {}, h('time', { datetime: e.at }, fmtDate(e.at))))))));
}

function noteForm(a) {
	const text = h('textarea', { name: 'text', rows: '2', required: true });
	const form = h('form', { class: 'inline-form', id: 'note-form' }, field('New note', text),
		h('button', { type: 'submit' }, 'Add note'));
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		if (!text.value.trim())
			return;
		if (await attempt(() => api('applications.note', { id: a.id, text: text.value.trim() }))) {
			announce('Note added');
			delete form.dataset.dirty;
			refresh();
		}
	});
	return form;
}

export function reminderRow(r) {
	const snooze = h('select', { 'aria-label': `Snooze the ${r.kind} reminder for` },
		options([['1d', '1 day'], ['3d', '3 days'], ['1w', '1 week'], ['2h', '2 hours']], '1d'));
	return h('li', { class: 'reminder-row' },
		h('span', {}, h('strong', {}, r.kind), ' ', r.state === 'snoozed' ? 'snoozed until ' : 'due ',
			h('time', { datetime: r.due_at }, fmtDate(r.due_at)), r.note ? ` — ${r.note}` : '',
			r.company ? h('span', { class: 'muted' }, ' · ', h('a', { href: `#/app/${r.application_id}` }, `${r.company}, ${r.position}`)) : null),
		h('span', { class: 'row-actions' },
			h('button', { type: 'button', 'aria-label': `Mark the ${r.kind} reminder done`,
				onclick: async () => { if (await attempt(() => api('reminders.done', { id: r.id }))) refresh(); } }, 'Done'),
			snooze,
			h('button', { type: 'button', 'aria-label': `Snooze the ${r.kind} reminder`,
				onclick: async () => { if (await attempt(() => api('reminders.snooze', { id: r.id, for: snooze.value }))) refresh(); } }, 'Snooze')));
}

export async function render(route) {
	const a = await api('applications.show', { id: Number(route.arg) });
	const open = (a.reminders || []).filter((r) => r.state === 'pending' || r.state === 'snoozed');
	const events = a.events || [];
	shown.reminder = new Set(open.map((r) => r.id));
	shown.interview = new Set((a.interviews || []).map((i) => i.id));
	shown.contact = new Set((a.contacts || []).map((c) => c.id));
	return h('div', { class: 'detail' },
		heading(`${a.company} — ${a.position}`, h('span', { class: `status s-${a.status}` }, a.status)),
		h('section', { 'aria-labelledby': 'fields-h' }, h('h2', { id: 'fields-h' }, 'Details'), fieldsForm(a)),
		h('div', { class: 'two' },
			h('section', { 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h' }, 'Timeline'), noteForm(a), timeline(events)),
			h('div', {},
				h('section', { 'aria-labelledby': 'rem-h' }, h('h2', { id: 'rem-h' }, 'Reminders'),
					open.length ? h('ul', { class: 'rows' }, open.map(reminderRow)) : h('p', {}, 'No open reminders.')),
				h('section', { 'aria-labelledby': 'int-h' }, h('h2', { id: 'int-h' }, 'Interviews'),
					(a.interviews || []).length ? h('ul', { class: 'rows' }, a.interviews.map((i) => interviewRow(i))) : h('p', {}, 'No interviews.'),
					interviewForm(a.id)),
				h('section', { 'aria-labelledby': 'con-h' }, h('h2', { id: 'con-h' }, 'Contacts'),
					(a.contacts || []).length ? h('ul', { class: 'rows' }, a.contacts.map((c) => h('li', {},
						h('strong', {}, c.name), c.position ? `, ${c.position}` : '', c.company ? ` (${c.company})` : '',
						c.email ? h('span', {}, ' · ', h('a', { href: `mailto:${c.email}` }, c.email)) : null,
						c.phone ? ` · ${c.phone}` : ''))) : h('p', {}, 'No contacts.')),
				h('section', { 'aria-labelledby': 'mail-h' }, h('h2', { id: 'mail-h' }, 'Mail that changed it'), mails(events)))));
}
