// The bookings dashboard below 700 px: one card per booking instead of the grid's
// columns, which a phone cannot show side by side. bookings-board.js owns the state
// (filters, the /api/bookings fetch, the selection) and builds this view when the
// width is narrow; here live only the cards, their actions and
// the infinite loading (an IntersectionObserver, and a real button for when it is
// not there or the user prefers to tap).
(function () {
  'use strict';
  var PAGE = 20;
  var MAX_RELOAD = 500; // the API's largest block

  function createCards(board) {
    var t = board.labels;
    var cfg = board.cfg;
    var el = board.el;
    // The server renders the first cards (views/dashboards/_cards.eta) so that they paint
    // with the page; this view takes them over rather than building its own.
    var view = board.root.querySelector('.booking-cards');
    var count, list, more;
    if (view) {
      count = view.querySelector('.booking-cards__count');
      list = view.querySelector('.booking-cards__list');
      more = view.querySelector('.booking-cards__more');
      var pages = view.querySelector('.pagination'); // the no-script way to more cards
      if (pages) pages.remove();
    } else {
      view = el('section', { class: 'booking-cards', 'aria-label': t.gridLabel });
      count = el('p', { class: 'booking-cards__count muted small', role: 'status' });
      list = el('ul', { class: 'booking-cards__list' });
      more = el('button', { type: 'button', class: 'btn btn--ghost booking-cards__more' }, t.cards.loadMore);
      view.appendChild(count);
      view.appendChild(list);
      view.appendChild(more);
      board.root.appendChild(view);
    }
    var rows = [];
    var lastRow = -1;
    var loading = false;
    var generation = 0;

    function done() { return lastRow >= 0 && rows.length >= lastRow; }

    function nameOf(row) {
      if (cfg.role === 'mentor') return row.studentName;
      if (cfg.role === 'student') return row.mentorName;
      return row.studentName + ' → ' + row.mentorName;
    }

    function fact(label, value) {
      var box = el('div', { class: 'booking-card__fact' });
      box.appendChild(el('dt', {}, label));
      box.appendChild(el('dd', {}, value));
      return box;
    }

    function button(label, kind, action, row) {
      var b = el('button', { type: 'button', class: 'btn btn--' + kind + ' btn--sm', 'data-action': action }, label);
      b.addEventListener('click', function () { board.openDecision(action, [row], { opener: b, rowId: row.id, action: action }); });
      return b;
    }

    // The grid's Actions cell, card-sized: the same rules (canApprove, canCancel, a room
    // for confirmed sessions), as real buttons and links.
    function actions(row) {
      var box = el('div', { class: 'booking-card__actions' });
      if (row.canApprove) {
        box.appendChild(button(t.approve, 'primary', 'approve', row));
        box.appendChild(button(t.deny, 'ghost', 'reject', row));
      } else if (row.canCancel) {
        box.appendChild(button(t.cancel, 'ghost', 'cancel', row));
      }
      if (row.meetingUrl) box.appendChild(el('a', { href: row.meetingUrl, class: 'btn btn--accent btn--sm', target: '_blank', rel: 'noopener noreferrer', 'data-action': 'join' }, t.join));
      box.appendChild(el('a', { href: '/bookings/' + row.id, class: 'btn btn--ghost btn--sm', 'data-action': 'open' }, t.open));
      return box;
    }

    function card(row) {
      var item = el('li', { class: 'card booking-card', 'data-id': row.id });
      var head = el('div', { class: 'booking-card__head' });
      var title = el('h3', { class: 'booking-card__title' }, nameOf(row));
      // Only requests the mentor can still answer are selectable, as in the grid.
      if (cfg.role === 'mentor' && row.canApprove) {
        var label = el('label', { class: 'booking-card__select' });
        var box = el('input', { type: 'checkbox', 'data-select': row.id, 'aria-label': t.cards.select.replace('{name}', nameOf(row)).replace('{date}', board.formatDate(row.startsAt)) });
        box.checked = board.isSelected(row.id);
        box.addEventListener('change', function () { board.setSelected(row, box.checked); });
        label.appendChild(box);
        head.appendChild(label);
      }
      head.appendChild(title);
      head.appendChild(board.statusBadge(row.status));
      item.appendChild(head);
      item.appendChild(el('p', { class: 'booking-card__skill' }, row.skillTitle));
      if (row.subject) item.appendChild(el('p', { class: 'booking-card__subject muted small' }, row.subject));
      var facts = el('dl', { class: 'booking-card__facts' });
      facts.appendChild(fact(t.columns.startsAt, board.formatDate(row.startsAt)));
      facts.appendChild(fact(t.columns.durationMinutes, row.durationMinutes + ' min'));
      facts.appendChild(fact(t.columns.price, board.money(row.priceCents, row.currency)));
      item.appendChild(facts);
      item.appendChild(actions(row));
      return item;
    }

    function paint() {
      count.textContent = lastRow >= 0 ? t.cards.shown.replace('{shown}', rows.length).replace('{total}', lastRow) : '';
      more.hidden = done();
      more.disabled = loading;
    }

    /** The next block; `fresh` starts over (a filter or an answer changed the rows) keeping as many cards as were shown. */
    function load(fresh) {
      if (!fresh && (loading || done())) return;
      var mine = fresh ? ++generation : generation;
      var start = fresh ? 0 : rows.length;
      var end = fresh ? Math.min(MAX_RELOAD, Math.max(PAGE, rows.length)) : start + PAGE;
      loading = true;
      paint();
      board.fetchRows(start, end).then(function (body) {
        if (mine !== generation) return;
        if (fresh) { rows = []; list.textContent = ''; }
        body.rows.forEach(function (row) { rows.push(row); list.appendChild(card(row)); });
        if (fresh && afterReload) { var target = afterReload; afterReload = null; focusCard(target); }
        // The admin's later blocks answer -1 (total unknown): a short block is the end.
        lastRow = body.lastRow >= 0 ? body.lastRow : (body.rows.length < end - start ? rows.length : -1);
      }).catch(function () { /* the board shows the message */ }).then(function () {
        if (mine !== generation) return;
        loading = false;
        paint();
        // A tall phone may show the end of the list before any scroll: keep filling.
        if (visible) load(false);
      });
    }

    // After an answer the card is drawn again: focus its same control, else what it
    // still offers (its Open link at least), else the card now at its place.
    var afterReload = null;
    function focusCard(target) {
      var item = list.querySelector('.booking-card[data-id="' + CSS.escape(target.rowId || '') + '"]');
      var control = item && (item.querySelector('[data-action="' + target.action + '"]') || item.querySelector('[data-action]'));
      if (!control) {
        var all = list.querySelectorAll('.booking-card');
        var near = all[Math.min(target.rowIndex || 0, all.length - 1)];
        control = near && near.querySelector('[data-action]');
      }
      if (control) control.focus();
    }

    // The server's cards are this view's first block when nothing since the page load
    // changed which rows come first (the grid's saved sort or column filters, a filter
    // typed, an answer given): then they only get their behaviour, with no fetch and no
    // repaint. Otherwise the first block is fetched as usual.
    function serverBlock() {
      var data = document.getElementById('booking-cards-rows');
      if (!data || !view.hasAttribute('data-adoptable') || !board.pristine()) return null;
      var state = board.readState();
      var sortModel = state && state.sort && state.sort.sortModel;
      var filterModel = state && state.filter && state.filter.filterModel;
      if ((sortModel && sortModel.length) || (filterModel && Object.keys(filterModel).length)) return null;
      try { return JSON.parse(data.textContent); } catch { return null; }
    }

    function adopt(item, row) {
      item.querySelectorAll('[data-action="approve"], [data-action="reject"], [data-action="cancel"]').forEach(function (b) {
        b.type = 'button'; // the dialog answers, not the no-script form around it
        b.addEventListener('click', function (e) {
          e.preventDefault();
          board.openDecision(b.getAttribute('data-action'), [row], { opener: b, rowId: row.id, action: b.getAttribute('data-action') });
        });
      });
      var box = item.querySelector('[data-select]');
      if (box) {
        box.disabled = false;
        box.checked = board.isSelected(row.id);
        box.addEventListener('change', function () { board.setSelected(row, box.checked); });
      }
    }

    var visible = false;
    more.addEventListener('click', function () { load(false); });
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        visible = entries.some(function (e) { return e.isIntersecting; });
        if (visible && !view.hidden) load(false);
      }, { rootMargin: '200px 0px' }).observe(more);
    }

    var first = serverBlock();
    if (first) {
      var byId = {};
      first.rows.forEach(function (row) { byId[row.id] = row; });
      list.querySelectorAll('.booking-card').forEach(function (item) {
        var row = byId[item.getAttribute('data-id')];
        if (row) { rows.push(row); adopt(item, row); }
      });
      lastRow = first.lastRow;
      paint();
    } else {
      load(true);
    }
    return {
      el: view,
      reload: function () { load(true); },
      rowIndexOf: function (id) { return Math.max(0, rows.findIndex(function (r) { return r.id === id; })); },
      focus: focusCard,
      focusAfterReload: function (target) { afterReload = target; },
      /** The selection may have changed in the grid meanwhile. */
      syncSelection: function () {
        list.querySelectorAll('[data-select]').forEach(function (box) { box.checked = board.isSelected(box.getAttribute('data-select')); });
      },
    };
  }

  if (window.lbcGrid) window.lbcGrid.provide('booking-cards', createCards);
})();
