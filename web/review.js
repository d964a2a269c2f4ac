// SPDX-License-Identifier: GPL-3.0-or-later
// review.js - the review queue (#/review, #/review/ID): review.list; an entry's text
// (review.show) beside its reason, confidence and candidates; apply it to an application,
// apply it as another kind (which teaches the model that kind: review.apply with kind), drop it.
import { api, attempt, h, heading, field, options, KINDS, fmtDate, announce, navigate } from './app.js';
import { applicationPicker } from './upcoming.js';

export const title = () => 'Review queue';
// the queue changes by review.drop and review.retry (review.*), by mail, and by review.apply,
// which announces only the application it changed
export const interested = (ev) => /^(review\.|mail\.applied$|application\.changed$)/.test(ev.event);

function verdictPanel(v) {
	if (!v)
		return h('p', {}, 'No verdict was kept for this entry.');
	const g = v.guess;
	return h('dl', { class: 'verdict' },
		h('dt', {}, 'Guess'), h('dd', {}, g ? g.kind : 'none'),
		h('dt', {}, 'Confidence'), h('dd', {}, g ? h('meter', { min: '0', max: '1', value: String(g.confidence), 'aria-label': 'Confidence' }) : '—',
			g ? ` ${Math.round(g.confidence * 100)} %` : ''),
		h('dt', {}, 'Decided by'), h('dd', {}, v.layer ? `${v.layer}${v.rule ? ' ' + v.rule : ''}` : '—'),
		v.phrases && v.phrases.length ? [h('dt', {}, 'Phrases'), h('dd', {}, v.phrases.join(', '))] : null,
		h('dt', {}, 'Candidates'), h('dd', {}, (v.company_candidates || []).length ?
			h('ol', {}, v.company_candidates.map((c) => h('li', {}, `${c.name} (${c.score.toFixed(2)}, from ${c.from})`))) : 'none'));
}

function actions(e) {
	const pick = applicationPicker('Apply to application', e.company);
	const applyForm = h('form', { class: 'inline-form', 'aria-label': 'Apply to an application' }, pick.node,
		h('button', { type: 'submit', class: 'primary' }, 'Apply'));
	applyForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const id = Number(pick.select.value);
		if (!id)
			return;
		const r = await attempt(() => api('review.apply', { id: e.id, application: id }));
		if (r) {
			announce(`Applied: ${r.outcome}`);
			navigate('#/review');
		}
	});
	const kind = h('select', { name: 'kind' }, options(KINDS, e.kind || (e.verdict && e.verdict.guess && e.verdict.guess.kind)));
	const kindForm = h('form', { class: 'inline-form', 'aria-label': 'Apply as another kind' }, field('The right kind', kind),
		h('button', { type: 'submit' }, 'Apply as this kind'));
	kindForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const params = { id: e.id, kind: kind.value };
		if (pick.select.value)
			params.application = Number(pick.select.value);
		const r = await attempt(() => api('review.apply', params));
		if (r) {
			announce(`Applied as ${kind.value}: ${r.outcome}${r.learned ? ', learned' : ''}`);
			navigate('#/review');
		}
	});
	const drop = h('button', { type: 'button', class: 'danger', onclick: async () => {
		if (await attempt(() => api('review.drop', { id: e.id }))) {
			announce('Dropped');
			navigate('#/review');
		}
	} }, 'Drop this entry');
	return h('div', { class: 'review-actions' }, applyForm, kindForm, drop);
}

export async function render(route) {
	const entries = await api('review.list');
	const selected = route.arg ? Number(route.arg) : (entries[0] && entries[0].id);
	const listEl = h('ul', { class: 'review-list', 'aria-label': 'Queued messages' }, entries.map((e) =>
		h('li', {}, h('a', { href: `#/review/${e.id}`, 'aria-current': e.id === selected ? 'true' : null },
			h('strong', {}, e.subject || '(no subject)'), h('span', {}, e.sender || ''),
			h('span', { class: 'muted' }, e.reason)))));
	let pane = h('p', {}, 'The queue is empty.');
	if (selected && entries.some((e) => e.id === selected)) {
		const e = await api('review.show', { id: selected });
		pane = h('article', { class: 'review-entry', 'aria-labelledby': 'rv-subject' },
			h('h2', { id: 'rv-subject' }, e.subject || '(no subject)'),
			h('p', { class: 'muted' }, `From ${e.sender || '?'} · ${fmtDate(e.date)} · ${e.kind || 'no kind'}` +
				(e.company ? ` · ${e.company}` : '') + (e.position ? `, ${e.position}` : '')),
			h('div', { class: 'two' },
				h('div', {}, h('h3', {}, 'Message'), h('pre', { class: 'message', tabindex: '0', 'aria-label': 'Message text' }, e.text || e.raw || '')),
				h('div', {}, h('h3', {}, 'Why it waits'), h('p', { class: 'reason' }, e.reason), verdictPanel(e.verdict),
					h('h3', {}, 'Actions'), actions(e))));
	}
	return h('div', {}, heading('Review queue', h('span', { class: 'muted' }, `${entries.length} waiting`)),
		h('div', { class: 'review' }, h('nav', { 'aria-label': 'Review entries' }, listEl), pane));
}
