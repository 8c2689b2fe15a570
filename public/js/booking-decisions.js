// The bookings dashboard's answers: one dialog asks for the meeting link and notes
// (accept) or the reason (deny, cancel), for one booking or the bulk selection, sends
// them, reports row by row what happened, and gives the keyboard back to where it was.
// Both views (grid and cards) open it through the board (bookings-board.js).
(function () {
  'use strict';
  var grid = window.lbcGrid;
  if (!grid) return;

  function createDecisions(board) {
    var t = board.labels;
    var cfg = board.cfg;
    var el = board.el;
    var bulkBar = document.getElementById('grid-bulk');
    var bulkCount = document.getElementById('grid-bulk-count');
    var results = document.getElementById('grid-results');
    var dialog = document.getElementById('decision-dialog');
    var form = dialog && dialog.querySelector('form');
    var pending = null;

    function updateBulk() {
      if (!bulkBar) return;
      var n = board.selected().length;
      bulkBar.hidden = n === 0;
      if (bulkCount) bulkCount.textContent = grid.pluralText(t.selected, { count: n });
    }
    if (bulkBar) {
      bulkBar.querySelectorAll('[data-bulk]').forEach(function (button) {
        button.addEventListener('click', function () {
          var rows = board.selected();
          var view = board.activeView();
          var first = rows[0] && rows[0].id;
          open(button.getAttribute('data-bulk'), rows, { opener: button, rowId: first, rowIndex: view && first ? view.rowIndexOf(first) : 0 });
        });
      });
    }

    // Where the keyboard goes back to when the dialog closes: the control that opened it
    // ({ opener, rowId, rowIndex, action }). A decision redraws the row (its buttons are
    // new elements, or gone), so then the view puts focus back once the rows reloaded.
    var returnTo = null;
    function restoreFocus(target) {
      if (target.opener && target.opener.isConnected && !target.opener.closest('[hidden]')) {
        target.opener.focus();
        return;
      }
      var view = board.activeView();
      if (view) view.focus(target);
    }

    function open(action, rows, origin) {
      if (!dialog || !rows.length) return;
      pending = { action: action, rows: rows };
      returnTo = origin || null;
      dialog.querySelector('[data-title]').textContent = grid.pluralText(t.dialog[action], { count: rows.length });
      dialog.querySelectorAll('[data-for]').forEach(function (part) { part.hidden = part.getAttribute('data-for').split(' ').indexOf(action) === -1; });
      form.reset();
      dialog.querySelector('[data-error]').textContent = '';
      // showModal focuses the first field shown (the link, or the reason); Escape closes.
      dialog.showModal();
    }

    if (dialog) {
      dialog.addEventListener('close', function () {
        var target = returnTo;
        returnTo = null;
        if (target) restoreFocus(target);
      });
      dialog.querySelector('[data-cancel]').addEventListener('click', function () { dialog.close(); });
    }
    if (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (!pending) return;
        var data = new FormData(form);
        var reason = String(data.get('reason') || '').trim();
        if (pending.action !== 'approve' && reason.length < 3) {
          dialog.querySelector('[data-error]').textContent = t.reasonRequired;
          form.querySelector('[name="reason"]').focus();
          return;
        }
        var submit = form.querySelector('button[type="submit"]');
        submit.disabled = true;
        send(pending, data).then(function (outcome) {
          var view = board.activeView();
          if (returnTo && view) view.focusAfterReload(returnTo);
          returnTo = null;
          dialog.close();
          report(outcome);
          board.clearSelection();
          board.refresh();
        }).catch(function (error) {
          dialog.querySelector('[data-error]').textContent = error.message;
        }).then(function () { submit.disabled = false; });
      });
    }

    function send(job, data) {
      var headers = { Accept: 'application/json', 'X-CSRF-Token': grid.csrfToken() };
      if (job.action === 'cancel') {
        var body = new URLSearchParams({ reason: String(data.get('reason')) });
        return fetch('/bookings/' + job.rows[0].id + '/cancellation', { method: 'POST', headers: headers, body: body, credentials: 'same-origin' })
          .then(function (res) { return res.json().then(function (b) { return { results: [res.ok ? { id: job.rows[0].id, ok: true, status: 'cancelled' } : { id: job.rows[0].id, ok: false, message: b.error && b.error.message }] }; }); });
      }
      headers['Content-Type'] = 'application/json';
      var payload = { action: job.action, ids: job.rows.map(function (r) { return r.id; }) };
      if (data.get('reason')) payload.reason = String(data.get('reason'));
      if (data.get('meetingUrl')) payload.meetingUrl = String(data.get('meetingUrl'));
      return fetch('/api/bookings/bulk', { method: 'POST', headers: headers, body: JSON.stringify(payload), credentials: 'same-origin' })
        .then(function (res) {
          return res.json().then(function (b) {
            if (!res.ok) throw new Error((b.error && b.error.message) || t.loadError);
            return b;
          });
        });
    }

    // What happened, row by row, in a live region.
    function report(outcome) {
      if (!results) return;
      results.textContent = '';
      var ok = outcome.results.filter(function (r) { return r.ok; }).length;
      results.appendChild(el('p', { class: 'grid-results__summary' }, grid.pluralText(t.done, { ok: ok, total: outcome.results.length })));
      var list = el('ul', { class: 'grid-results__list' });
      outcome.results.forEach(function (r) {
        var row = (pending && pending.rows.filter(function (x) { return x.id === r.id; })[0]) || {};
        var label = (cfg.role === 'student' ? row.mentorName : row.studentName) + ' — ' + (row.skillTitle || r.id);
        list.appendChild(el('li', { class: r.ok ? 'is-ok' : 'is-failed' }, (r.ok ? '✓ ' : '✗ ') + label + (r.ok ? '' : ': ' + r.message)));
      });
      results.appendChild(list);
      results.hidden = false;
      // The figures above the grid (requests waiting, sessions this week) fetch themselves again.
      document.body.dispatchEvent(new CustomEvent('bookings-changed', { bubbles: true }));
    }

    updateBulk();
    return { open: open, updateBulk: updateBulk };
  }

  grid.provide('booking-decisions', createDecisions);
})();
