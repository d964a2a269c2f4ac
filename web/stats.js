// SPDX-License-Identifier: GPL-3.0-or-later
// stats.js - statistics (#/stats): the funnel, weekly applications and responses, sources
// and time in stage from the `stats` method's reports, drawn as SVG with DOM calls.
import { api, h, heading } from './app.js';

export const title = () => 'Statistics';
export const interested = (ev) => /^application\.|^(import\.done|mail\.applied)$/.test(ev.event);

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs))
		el.setAttribute(k, String(v));
	for (const c of children)
		el.append(c);
	return el;
}
function svg(label, width, height, desc) {
	return s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' },
		s('title', {}, label), s('desc', {}, desc));
}
// the drawing's width in its own units: about the width it will have on the screen, so that
// its text keeps its size on a phone (at most max)
function chartWidth(max) {
	const main = document.getElementById('main');
	const cols = window.matchMedia('(min-width: 900px)').matches ? 2 : 1;
	return Math.max(300, Math.min(max, Math.round((main.clientWidth - 40) / cols - 30)));
}
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);

// rows: [{label, value, text}] as horizontal bars
function bars(label, rows, cls) {
	const width = chartWidth(560), rowH = 26, left = Math.min(110, Math.max(92, Math.round(width * 0.26))), right = Math.round(width * 0.26);
	const max = Math.max(1, ...rows.map((r) => r.value || 0));
	const el = svg(label, width, rows.length * rowH + 8, rows.map((r) => `${r.label}: ${r.text}`).join('; '));
	rows.forEach((r, i) => {
		const y = 4 + i * rowH;
		const w = Math.max(r.value ? 2 : 0, ((r.value || 0) / max) * (width - left - right));
		el.append(s('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', class: 'label' }, r.label),
			s('rect', { x: left, y: y + 3, width: w.toFixed(1), height: rowH - 8, rx: 3, class: cls || 'bar' }),
			s('text', { x: left + w + 6, y: y + 16, class: 'value' }, r.text));
	});
	return el;
}

function weekly(weeks) {
	const width = chartWidth(640), height = 220, left = 34, bottom = 40, top = 12;
	const max = Math.max(1, ...weeks.map((w) => Math.max(w.applied, w.responses)));
	const el = svg('Applications and responses per week', width, height,
		weeks.map((w) => `${w.week}: ${w.applied} applied, ${w.responses} responses`).join('; '));
	const plotH = height - bottom - top, slot = (width - left) / Math.max(1, weeks.length), bw = Math.max(2, slot / 2 - 3);
	const ticks = [0, Math.ceil(max / 2), max];
	for (const t of ticks) {
		const y = top + plotH - (t / max) * plotH;
		el.append(s('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid' }),
			s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'value' }, String(t)));
	}
	weeks.forEach((w, i) => {
		const x = left + i * slot + 2;
		const ha = (w.applied / max) * plotH, hr = (w.responses / max) * plotH;
		el.append(s('rect', { x, y: top + plotH - ha, width: bw, height: ha, class: 'bar' }, s('title', {}, `${w.week}: ${w.applied} applied`)),
			s('rect', { x: x + bw + 1, y: top + plotH - hr, width: bw, height: hr, class: 'bar2' }, s('title', {}, `${w.week}: ${w.responses} responses`)));
		if (slot >= 34 || i % 2 === 0)
			el.append(s('text', { x: x + bw, y: height - bottom + 16, 'text-anchor': 'middle', class: 'label small' }, w.week.replace(/^\d{4}-/, '')));
	});
	el.append(s('rect', { x: left, y: height - 14, width: 10, height: 10, class: 'bar' }),
		s('text', { x: left + 14, y: height - 5, class: 'label' }, 'applied'),
		s('rect', { x: left + 90, y: height - 14, width: 10, height: 10, class: 'bar2' }),
		s('text', { x: left + 104, y: height - 5, class: 'label' }, 'responses'));
	return el;
}

function tile(label, value) {
	return h('div', { class: 'tile' }, h('span', { class: 'big' }, String(value)), h('span', {}, label));
}

export async function render() {
	const [ov, pipe, trends, sources] = await Promise.all([api('stats', { report: 'overview' }),
		api('stats', { report: 'pipeline' }), api('stats', { report: 'trends', weeks: 12 }), api('stats', { report: 'sources' })]);
	const section = (id, name, ...body) => h('section', { class: 'chart-box', 'aria-labelledby': id }, h('h2', { id }, name), ...body);
	return h('div', { class: 'stats' },
		heading('Statistics'),
		h('div', { class: 'tiles' }, tile('applications', ov.total), tile('in progress', ov.active),
			tile('response rate', pct(ov.response_rate)), tile('interview rate', pct(ov.interview_rate)),
			tile('offer rate', pct(ov.offer_rate)),
			tile('median days to response', ov.median_days_to_response === null ? '–' : ov.median_days_to_response.toFixed(1))),
		h('div', { class: 'charts' },
			section('st-funnel', 'Funnel', bars('Funnel: applications that reached each stage',
				pipe.funnel.map((f) => ({ label: f.stage, value: f.count, text: `${f.count} (${pct(f.share)})` })))),
			section('st-weekly', 'Weekly applications and responses', weekly(trends.weeks)),
			section('st-sources', 'Sources (applications · response rate)', bars('Applications and response rate per source',
				sources.sources.map((r) => ({ label: r.key, value: r.applications, text: `${r.applications} · ${pct(r.response_rate)}` })))),
			section('st-time', 'Time in stage (median days)', bars('Median days spent in each stage',
				pipe.time_in_stage.map((t) => ({ label: t.stage, value: t.median_days || 0,
					text: t.median_days === null ? '–' : `${t.median_days.toFixed(1)} d (${t.count})` })), 'bar2'))));
}
