// SPDX-License-Identifier: GPL-3.0-or-later
// board.js - the board (#/board): one column per status from applications.board, cards
// moved by drag and drop or by the keyboard, each move applications.status with an
// optional note asked for in the move dialog (index.html).
import { api, attempt, h, heading, STATUSES, announce, refresh, fmtDate, options, BOARD_LIMIT } from './app.js';

export const title = () => 'Board';
export const interested = (ev) => /^(application|reminder|interview)\.|^(import\.done|mail\.applied)$/.test(ev.event);

let lastCard = null; // the id of the card that had the focus last, kept across refreshes

function load() {
	return api('applications.board', { limit: BOARD_LIMIT });
}

function reminderText(r) {
	if (!r)
		return null;
	const due = new Date(r.due_at);
	const overdue = due < new Date();
	return h('span', { class: 'reminder' + (overdue ? ' overdue' : '') },
		`${r.kind} ${overdue ? 'overdue since' : 'due'} ${fmtDate(r.due_at)}`);
}

function card(a, status) {
	const days = a.days_in_stage;
	const label = `${a.company}, ${a.position}` + (days !== undefined && days !== null ? `, ${days} days in ${status}` : '');
	return h('li', {
		class: 'card', id: `card-${a.id}`, tabindex: '-1', draggable: 'true', 'aria-label': label,
		dataset: { id: a.id, status },
	},
	h('a', { href: `#/app/${a.id}`, class: 'company', tabindex: '-1' }, a.company),
	h('span', { class: 'position' }, a.position),
	h('span', { class: 'meta' },
		days !== undefined && days !== null ? h('span', { class: 'days' }, `${days} d in stage`) : null,
		reminderText(a.next_reminder)));
}

// sent: the board's request app.js sent while this module loaded, on the first render
export async function render(route, sent) {
	const data = await (sent || load());
	const frag = document.createDocumentFragment();
	for (const col of data.columns) {
		const listId = `col-${col.status}`;
		const more = col.count - col.cards.length;
		const ul = h('ul', { class: 'cards', id: listId, 'aria-labelledby': `${listId}-h` });
		const cards = document.createDocumentFragment();
		for (const a of col.cards)
			cards.append(card(a, col.status));
		ul.append(cards);
		frag.append(h('section', { class: 'column', dataset: { status: col.status } },
			h('h2', { id: `${listId}-h` }, col.status, ' ', h('span', { class: 'count' }, String(col.count))),
			ul,
			more > 0 ? h('a', { class: 'more', href: `#/list?status=${col.status}` }, `${more} more`) : null));
	}
	const boardEl = h('div', { class: 'board', 'aria-describedby': 'board-keys' }, frag);
	// one tab stop for the cards (roving tabindex): the card last focused, else the first
	const first = (lastCard && boardEl.querySelector(`#card-${lastCard}`)) || boardEl.querySelector('.card');
	if (first)
		first.tabIndex = 0;
	wire(boardEl);
	return h('div', {},
		heading('Board', h('details', { class: 'keys' },
			h('summary', {}, 'Keyboard'),
			h('p', { id: 'board-keys' },
				'Tab to the cards. Arrow keys go from card to card (up and down in a column, left and right across ',
				'columns). m moves the focused card (a dialog asks for the status and an optional note); ',
				'Shift+Arrow Left or Right moves it one column. Enter opens the application.'))),
		boardEl);
}

// ---- moving ----
export async function move(id, from, to, what) {
	const dialog = document.getElementById('move-dialog');
	const form = document.getElementById('move-form');
	const select = document.getElementById('move-status');
	select.replaceChildren(...options(STATUSES, to || from));
	document.getElementById('move-note').value = '';
	document.getElementById('move-what').textContent = what;
	const opener = document.activeElement;
	dialog.returnValue = '';
	dialog.showModal();
	(to ? document.getElementById('move-note') : select).focus();
	const answer = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
	if (answer !== 'move' || select.value === from) {
		if (opener)
			opener.focus();
		return false;
	}
	const params = { id: Number(id), status: select.value };
	const note = document.getElementById('move-note').value.trim();
	if (note)
		params.note = note;
	const done = await attempt(() => api('applications.status', params));
	if (done) {
		announce(`${what} moved to ${select.value}`);
		await refresh();
		const moved = document.querySelector(`.card[data-id="${id}"]`);
		if (moved) {
			focusCard(moved);
		}
	}
	form.reset();
	return !!done;
}

function focusCard(el) {
	for (const c of el.closest('.board').querySelectorAll('.card[tabindex="0"]'))
		c.tabIndex = -1;
	el.tabIndex = 0;
	lastCard = el.dataset.id;
	el.focus();
}

function neighbour(cardEl, key) {
	if (key === 'ArrowUp')
		return cardEl.previousElementSibling;
	if (key === 'ArrowDown')
		return cardEl.nextElementSibling;
	const cols = [...cardEl.closest('.board').querySelectorAll('.column')];
	let i = cols.indexOf(cardEl.closest('.column'));
	const index = [...cardEl.parentElement.children].indexOf(cardEl);
	for (;;) {
		i += key === 'ArrowLeft' ? -1 : 1;
		if (i < 0 || i >= cols.length)
			return null;
		const cards = cols[i].querySelectorAll('.card');
		if (cards.length)
			return cards[Math.min(index, cards.length - 1)];
	}
}

function wire(boardEl) {
	boardEl.addEventListener('focusin', (e) => {
		if (e.target.classList.contains('card')) {
			lastCard = e.target.dataset.id;
			for (const c of boardEl.querySelectorAll('.card[tabindex="0"]'))
				if (c !== e.target)
					c.tabIndex = -1;
			e.target.tabIndex = 0;
		}
	});
	boardEl.addEventListener('keydown', (e) => {
		const c = e.target.closest && e.target.closest('.card');
		if (!c || e.target !== c)
			return;
		const what = `${c.querySelector('.company').textContent}, ${c.querySelector('.position').textContent}`;
		if (e.key === 'Enter') {
			location.hash = `#/app/${c.dataset.id}`;
		} else if (e.key === 'm' || e.key === 'M') {
			e.preventDefault();
			move(c.dataset.id, c.dataset.status, null, what);
		} else if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
			e.preventDefault();
			const i = STATUSES.indexOf(c.dataset.status) + (e.key === 'ArrowLeft' ? -1 : 1);
			if (i >= 0 && i < STATUSES.length)
				move(c.dataset.id, c.dataset.status, STATUSES[i], what);
		} else if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(e.key)) {
			e.preventDefault();
			const n = neighbour(c, e.key);
			if (n)
				focusCard(n);
		}
	});
	boardEl.addEventListener('click', (e) => {
		const c = e.target.closest('.card');
		if (c && !e.target.closest('a'))
			focusCard(c);
	});
	boardEl.addEventListener('dragstart', (e) => {
		const c = e.target.closest && e.target.closest('.card');
		if (!c)
			return;
		e.dataTransfer.setData('text/plain', c.dataset.id);
		e.dataTransfer.effectAllowed = 'move';
		c.classList.add('dragging');
	});
	boardEl.addEventListener('dragend', (e) => {
		const c = e.target.closest && e.target.closest('.card');
		if (c)
			c.classList.remove('dragging');
	});
	boardEl.addEventListener('dragover', (e) => {
		const col = e.target.closest && e.target.closest('.column');
		if (!col)
			return;
		e.preventDefault();
		e.dataTransfer.dropEffect = 'move';
		for (const o of boardEl.querySelectorAll('.column.over'))
			if (o !== col)
				o.classList.remove('over');
		col.classList.add('over');
	});
	boardEl.addEventListener('dragleave', (e) => {
		const col = e.target.closest && e.target.closest('.column');
		if (col && !col.contains(e.relatedTarget))
			col.classList.remove('over');
	});
	boardEl.addEventListener('drop', (e) => {
		const col = e.target.closest && e.target.closest('.column');
		if (!col)
			return;
		e.preventDefault();
		col.classList.remove('over');
		const id = e.dataTransfer.getData('text/plain');
		const c = boardEl.querySelector(`.card[data-id="${CSS.escape(id)}"]`);
		if (!c || c.dataset.status === col.dataset.status)
			return;
		const what = `${c.querySelector('.company').textContent}, ${c.querySelector('.position').textContent}`;
		move(id, c.dataset.status, col.dataset.status, what);
	});
}
