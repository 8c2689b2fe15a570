// The bookings dashboard grid: Ag Grid's Infinite Row Model reads /api/bookings;
// sorting, filtering and paging happen in PostgreSQL. The page first renders a plain
// HTML table (no JavaScript needed); this script replaces it. Below 700 px the same
// rows show as cards (booking-cards.js): this file owns what both views share (the
// filters, the one fetch of /api/bookings, the selection, the decision dialog) and
// swaps the views when the width crosses the breakpoint.
(function () {
  'use strict';
  var grid = window.lbcGrid;
  if (!grid) return;
  var el = grid.el;
  var documentNonce = grid.documentNonce;
  grid.whenReady('bookings-grid', function (root) {

  var cfg = JSON.parse(root.getAttribute('data-config'));
  var t = cfg.labels;
  var csrf = grid.csrfToken;
  var quick = document.getElementById('grid-quick');
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('[data-status-filter]'));
  var fromInput = document.getElementById('grid-from');
  var toInput = document.getElementById('grid-to');
  var message = document.getElementById('grid-message');
  var exportLink = document.getElementById('grid-export');
  var bulkBar = document.getElementById('grid-bulk');
  var bulkCount = document.getElementById('grid-bulk-count');
  var results = document.getElementById('grid-results');
  var fallback = document.getElementById('bookings-table');

  var dateTime = new Intl.DateTimeFormat(cfg.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: cfg.timeZone });
  var money = function (cents, currency) { // integer cents, formatted from their exact decimal string
    return new Intl.NumberFormat(cfg.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: currency || 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(Math.floor(cents / 100) + '.' + String(cents % 100).padStart(2, '0'));
  };

  // Status: colour plus a shape and the word (never colour alone), as in the pages.
  function statusRenderer(params) {
    if (!params.value) return '';
    var badge = el('span', { class: 'status status--' + params.value });
    badge.appendChild(el('span', { class: 'status__dot', 'aria-hidden': 'true' }));
    badge.appendChild(document.createTextNode(t.status[params.value] || params.value));
    return badge;
  }

  // Each control says which action it is (data-action), so focus can come back to the
  // same one once the dialog closes, even after the grid drew the row again.
  function actionsRenderer(params) {
    var row = params.data;
    var box = el('span', { class: 'grid-actions' });
    if (!row) return box;
    var decide = function (action, label, kind) {
      var button = el('button', { type: 'button', class: 'btn btn--' + kind + ' btn--xs', 'data-action': action }, label);
      button.addEventListener('click', function () {
        openDecision(action, [row], { opener: button, rowId: row.id, rowIndex: params.node.rowIndex, action: action });
      });
      box.appendChild(button);
    };
    if (row.canApprove) {
      decide('approve', t.approve, 'primary');
      decide('reject', t.deny, 'ghost');
    } else if (row.canCancel) {
      decide('cancel', t.cancel, 'ghost');
    }
    if (row.meetingUrl) box.appendChild(el('a', { href: row.meetingUrl, class: 'btn btn--accent btn--xs', target: '_blank', rel: 'noopener noreferrer', 'data-action': 'join' }, t.join));
    box.appendChild(el('a', { href: '/bookings/' + row.id, class: 'grid-link', 'data-action': 'open' }, t.open));
    return box;
  }

  // Ag Grid moves Tab from any cell to the next cell, so the keyboard never reached the
  // second control of the Actions cell (it landed on the next row's checkbox). Here Tab
  // and Shift+Tab walk the cell's controls first (Shift+Tab from the first one goes back
  // to the cell), and the grid takes over past either end. Enter and Space on a control
  // are left to the browser, which clicks it.
  function actionsKeys(params) {
    var e = params.event;
    var cell = e.target instanceof Element ? e.target.closest('.ag-cell') : null;
    if (!cell) return false;
    if (e.key === 'Enter' || e.key === ' ') return e.target !== cell;
    if (e.key !== 'Tab' || e.type !== 'keydown') return false;
    var controls = Array.prototype.slice.call(cell.querySelectorAll('button:not([disabled]), a[href]'));
    var at = controls.indexOf(e.target);
    var next = e.shiftKey ? (at === 0 ? cell : controls[at - 1]) : controls[at + 1];
    if (!next) return false;
    e.preventDefault();
    next.focus();
    return true;
  }

  // Only the operators the API accepts (it answers 400 to anything else).
  var TEXT = { filterOptions: ['contains', 'notContains', 'equals', 'startsWith'], maxNumConditions: 2, buttons: ['reset', 'apply'], closeOnApply: true };
  var RANGE = { filterOptions: ['equals', 'greaterThan', 'lessThan', 'inRange'], inRangeInclusive: true, maxNumConditions: 2, buttons: ['reset', 'apply'], closeOnApply: true };

  // Together at most ~920 px plus the pinned Actions: no column clipped in a 1280 px window.
  var columns = {
    studentName: { field: 'studentName', headerName: t.columns.studentName, filter: 'agTextColumnFilter', filterParams: TEXT, flex: 1, minWidth: 120 },
    mentorName: { field: 'mentorName', headerName: t.columns.mentorName, filter: 'agTextColumnFilter', filterParams: TEXT, flex: 1, minWidth: 120 },
    skillTitle: { field: 'skillTitle', headerName: t.columns.skillTitle, filter: 'agTextColumnFilter', filterParams: TEXT, minWidth: 140, flex: 1 },
    startsAt: { field: 'startsAt', headerName: t.columns.startsAt, filter: 'agDateColumnFilter', filterParams: RANGE, width: 180, valueFormatter: function (p) { return p.value ? dateTime.format(new Date(p.value)) : ''; } },
    durationMinutes: { field: 'durationMinutes', headerName: t.columns.durationMinutes, filter: 'agNumberColumnFilter', filterParams: RANGE, width: 110, valueFormatter: function (p) { return p.value ? p.value + ' min' : ''; } },
    price: { colId: 'price', field: 'priceCents', headerName: t.columns.price, filter: 'agNumberColumnFilter', filterParams: RANGE, width: 110, valueFormatter: function (p) { return p.data ? money(p.value, p.data.currency) : ''; } },
    status: { field: 'status', headerName: t.columns.status, width: 150, filter: false, cellRenderer: statusRenderer },
    createdAt: { field: 'createdAt', headerName: t.columns.createdAt, filter: 'agDateColumnFilter', filterParams: RANGE, minWidth: 160, hide: true, valueFormatter: function (p) { return p.value ? dateTime.format(new Date(p.value)) : ''; } },
    actions: { colId: 'actions', headerName: t.columns.actions, sortable: false, filter: false, minWidth: 280, cellRenderer: actionsRenderer, suppressKeyboardEvent: actionsKeys },
  };

  function externalParams() {
    var q = {};
    if (quick && quick.value.trim()) q.quickFilter = quick.value.trim();
    var statuses = statusBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    if (statuses.length) q.status = statuses.join(',');
    if (fromInput && fromInput.value) q.from = fromInput.value;
    if (toInput && toInput.value) q.to = toInput.value;
    return q;
  }

  function showMessage(text, kind) {
    if (!message) return;
    message.textContent = text || '';
    message.className = 'grid-message' + (kind ? ' grid-message--' + kind : '');
    message.hidden = !text;
  }

  // One block of rows, for either view: the page's filters plus the grid's sort and
  // column filters (from the live grid, else from its saved state, so the cards keep
  // the order and filters set on the desktop).
  function fetchRows(startRow, endRow, sortModel, filterModel) {
    if (sortModel === undefined) {
      var state = api ? api.getState() : readState();
      sortModel = (state && state.sort && state.sort.sortModel) || [];
      filterModel = (state && state.filter && state.filter.filterModel) || {};
    }
    var q = externalParams();
    q.startRow = startRow;
    q.endRow = endRow;
    if (sortModel.length) q.sortModel = JSON.stringify(sortModel);
    if (Object.keys(filterModel).length) q.filterModel = JSON.stringify(filterModel);
    var query = new URLSearchParams(q).toString();
    if (exportLink) {
      var exportQuery = new URLSearchParams(q);
      exportQuery.delete('startRow');
      exportQuery.delete('endRow');
      exportLink.setAttribute('href', '/api/bookings.csv?' + exportQuery.toString());
    }
    return fetch('/api/bookings?' + query, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (r) {
        if (!r.ok) throw new Error((r.body && r.body.error && r.body.error.message) || t.loadError);
        showMessage(r.body.lastRow === 0 && startRow === 0 ? t.empty : '', r.body.lastRow === 0 ? 'info' : '');
        return r.body;
      })
      .catch(function (error) {
        showMessage(error.message || t.loadError, 'error');
        throw error;
      });
  }

  var datasource = {
    getRows: function (params) {
      fetchRows(params.startRow, params.endRow, params.sortModel, params.filterModel)
        .then(function (body) {
          params.successCallback(body.rows, body.lastRow);
          applySelection();
          focusAfterReload();
        })
        .catch(function () { params.failCallback(); });
    },
  };

  // State (column order and width, sort, filters) survives a reload and travels in the URL.
  var stateKey = 'lbc.grid.' + cfg.role;
  function readState() {
    var fromUrl = new URLSearchParams(location.search).get('grid');
    try {
      if (fromUrl) return JSON.parse(decodeURIComponent(escape(atob(fromUrl))));
      var saved = localStorage.getItem(stateKey);
      return saved ? JSON.parse(saved) : undefined;
    } catch {
      return undefined;
    }
  }
  function saveState(api) {
    var state = api.getState();
    delete state.rowSelection;
    delete state.scroll;
    delete state.focusedCell;
    var json = JSON.stringify(state);
    try { localStorage.setItem(stateKey, json); } catch { /* private mode: URL only */ }
    var url = new URL(location.href);
    url.searchParams.set('grid', btoa(unescape(encodeURIComponent(json))));
    history.replaceState(history.state, '', url);
  }

  var theme = window.agGrid.themeQuartz.withParams({
    accentColor: '#1B4965',
    headerBackgroundColor: '#F8FAFB',
    fontFamily: 'inherit',
    fontSize: 14,
    rowHeight: 48,
    headerHeight: 44,
    borderRadius: 8,
    wrapperBorderRadius: 12,
    checkboxBorderRadius: 4,
  });
  // The selection, shared by both views (id -> row): the grid's own is mirrored into it.
  var selection = new Map();
  function setSelected(row, on) {
    if (on && row.canApprove) selection.set(row.id, row);
    else selection.delete(row.id);
  }
  var USER_SELECTION = ['checkboxSelected', 'rowClicked', 'spaceKey'];
  function applySelection() {
    if (!api) return;
    var on = [];
    var off = [];
    api.forEachNode(function (n) {
      if (!n.data || n.isSelected() === selection.has(n.data.id)) return;
      (selection.has(n.data.id) ? on : off).push(n);
    });
    if (on.length) api.setNodesSelected({ nodes: on, newValue: true, source: 'api' });
    if (off.length) api.setNodesSelected({ nodes: off, newValue: false, source: 'api' });
  }

  // The Actions column is as wide as its widest set of buttons in this language, and
  // pinned right, so that no label is ever clipped (French labels are longer).
  function actionsWidth() {
    var probe = el('div', { class: 'grid-measure', 'aria-hidden': 'true' });
    [[t.approve, t.deny, t.open], [t.cancel, t.join, t.open]].forEach(function (labels) {
      var box = el('span', { class: 'grid-actions' });
      labels.forEach(function (label, i) { box.appendChild(el(i === 2 ? 'a' : 'button', { class: i === 2 ? 'grid-link' : 'btn btn--xs' }, label)); });
      probe.appendChild(box);
    });
    document.body.appendChild(probe);
    var widest = Math.max.apply(null, Array.prototype.map.call(probe.children, function (b) { return b.getBoundingClientRect().width; }));
    probe.remove();
    return Math.ceil(widest) + 40; // the cell's padding on both sides, and its border
  }

  var mount = el('div', { class: 'grid-mount', role: 'region', 'aria-label': t.gridLabel });
  root.appendChild(mount);
  var api = null;
  function createGridView() {
  api = window.agGrid.createGrid(mount, {
    theme: theme,
    styleNonce: documentNonce(),
    loadThemeGoogleFonts: false,
    rowModelType: 'infinite',
    cacheBlockSize: 100,
    maxBlocksInCache: 20,
    datasource: datasource,
    getRowId: function (p) { return p.data.id; },
    columnDefs: cfg.columns.map(function (id) {
      var col = Object.assign({}, columns[id]);
      if (id === 'actions') { col.pinned = 'right'; col.minWidth = col.width = actionsWidth(); }
      return col;
    }),
    selectionColumnDef: { headerName: t.select, headerClass: 'grid-select-header', width: 56 },
    defaultColDef: { sortable: true, resizable: true },
    // Only requests the mentor can still answer are selectable for bulk actions.
    rowSelection: cfg.role === 'mentor'
      ? { mode: 'multiRow', checkboxes: true, headerCheckbox: false, hideDisabledCheckboxes: true, enableClickSelection: false, isRowSelectable: function (node) { return Boolean(node.data && node.data.canApprove); } }
      : undefined,
    initialState: readState(),
    localeText: grid.localeText(cfg.locale),
    domLayout: 'normal',
    onStateUpdated: function (e) { if (e.sources.some(function (s) { return s !== 'rowSelection' && s !== 'scroll' && s !== 'focusedCell'; })) saveState(e.api); },
    onSelectionChanged: function (e) {
      if (USER_SELECTION.indexOf(e.source) !== -1) e.api.forEachNode(function (n) { if (n.data) setSelected(n.data, n.isSelected()); });
      updateBulk();
    },
    onGridReady: function () {
      var grid = mount.querySelector('[role="grid"], [role="treegrid"]');
      if (grid) grid.setAttribute('aria-label', t.gridLabel);
    },
  });
  }

  // One view at a time: the grid from 700 px, the cards below. A hidden view does not
  // fetch; it reloads when it comes back if the rows changed meanwhile.
  var wide = window.matchMedia('(min-width: 700px)');
  var cards = null;
  var stale = { grid: false, cards: false };
  function showView() {
    if (!root.isConnected) { wide.removeEventListener('change', showView); return; }
    if (wide.matches) {
      if (!api) createGridView();
      else if (stale.grid) api.purgeInfiniteCache();
      stale.grid = false;
      applySelection();
    } else if (!cards && window.lbcBookingCards) {
      cards = window.lbcBookingCards(board);
      stale.cards = false;
    } else if (cards) {
      if (stale.cards) cards.reload(); else cards.syncSelection();
      stale.cards = false;
    }
    mount.hidden = !wide.matches;
    if (cards) cards.el.hidden = wide.matches;
    // Until the card script is there (boosted navigation runs scripts as they arrive), a phone keeps the plain table.
    if (fallback) fallback.hidden = wide.matches || Boolean(cards);
  }

  var debounce;
  function refresh() {
    if (api && wide.matches) api.purgeInfiniteCache(); else stale.grid = true;
    if (cards && !wide.matches) cards.reload(); else stale.cards = true;
  }
  if (quick) quick.addEventListener('input', function () { clearTimeout(debounce); debounce = setTimeout(refresh, 300); });
  statusBoxes.concat([fromInput, toInput]).forEach(function (input) { if (input) input.addEventListener('change', refresh); });
  var filterForm = document.getElementById('grid-filters');
  if (filterForm) {
    filterForm.classList.add('is-enhanced');
    filterForm.addEventListener('submit', function (e) { e.preventDefault(); refresh(); });
  }

  // Bulk accept/reject of the selection; each row succeeds or fails on its own.
  function selected() { return Array.from(selection.values()); }
  function updateBulk() {
    if (!bulkBar) return;
    var n = selected().length;
    bulkBar.hidden = n === 0;
    if (bulkCount) bulkCount.textContent = grid.pluralText(t.selected, { count: n });
  }
  document.querySelectorAll('[data-bulk]').forEach(function (button) {
    button.addEventListener('click', function () {
      var rows = selected();
      var first = rows[0] && api.getRowNode(rows[0].id);
      openDecision(button.getAttribute('data-bulk'), rows, { opener: button, rowId: rows[0] && rows[0].id, rowIndex: first ? first.rowIndex : 0 });
    });
  });

  // Where the keyboard goes back to when the dialog closes: the control that opened it
  // ({ opener, rowId, rowIndex, action }). A decision redraws the row (its buttons are
  // new elements, or gone), so then focus waits for the reloaded rows: the same
  // control in the same row, else that row's Actions cell, else the row now at its place.
  var returnTo = null;
  var afterReload = null;
  function restoreFocus(target) {
    if (target.opener && target.opener.isConnected && !target.opener.closest('[hidden]')) {
      target.opener.focus();
      return true;
    }
    var node = target.rowId && api.getRowNode(target.rowId);
    if (!node || !node.data || node.rowIndex == null) return false;
    api.ensureIndexVisible(node.rowIndex);
    api.setFocusedCell(node.rowIndex, 'actions');
    var cell = mount.querySelector('.ag-row[row-id="' + CSS.escape(target.rowId) + '"] .ag-cell[col-id="actions"]');
    var same = cell && target.action && cell.querySelector('[data-action="' + target.action + '"]');
    if (same) same.focus();
    return Boolean(cell);
  }
  function settleFocus(target, frames) {
    if (restoreFocus(target)) return;
    if (frames > 0) {
      requestAnimationFrame(function () { settleFocus(target, frames - 1); });
      return;
    }
    // The row left the view (a filter no longer matches it): the row now at its place.
    var count = api.getDisplayedRowCount();
    if (count > 0) api.setFocusedCell(Math.min(target.rowIndex || 0, count - 1), 'actions');
  }
  function focusAfterReload() {
    var target = afterReload;
    afterReload = null;
    if (target) requestAnimationFrame(function () { settleFocus(target, 10); });
  }

  // One dialog asks for the meeting link / notes (approve) or the reason (deny, cancel).
  var dialog = document.getElementById('decision-dialog');
  var form = dialog && dialog.querySelector('form');
  var pending = null;
  function openDecision(action, rows, origin) {
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
      if (target && !afterReload) restoreFocus(target);
    });
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
      run(pending, data).then(function (outcome) {
        afterReload = returnTo;
        dialog.close();
        report(outcome);
        selection.clear();
        refresh();
        if (api) api.deselectAll();
        updateBulk();
      }).catch(function (error) {
        dialog.querySelector('[data-error]').textContent = error.message;
      }).then(function () { submit.disabled = false; });
    });
    dialog.querySelector('[data-cancel]').addEventListener('click', function () { dialog.close(); });
  }

  function run(job, data) {
    var headers = { Accept: 'application/json', 'X-CSRF-Token': csrf() };
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
    refreshFigures();
  }

  // The figures above the grid (requests waiting, sessions this week) own their swap
  // target: they fetch themselves again when told that bookings changed.
  function refreshFigures() {
    document.body.dispatchEvent(new CustomEvent('bookings-changed', { bubbles: true }));
  }

  // What the card view reads and calls (booking-cards.js): the same rows, formats,
  // selection and dialog as the grid.
  var board = {
    root: root,
    cfg: cfg,
    labels: t,
    el: el,
    fetchRows: fetchRows,
    formatDate: function (iso) { return dateTime.format(new Date(iso)); },
    money: money,
    statusBadge: function (status) { return statusRenderer({ value: status }); },
    openDecision: openDecision,
    isSelected: function (id) { return selection.has(id); },
    setSelected: function (row, on) { setSelected(row, on); updateBulk(); },
    showView: showView,
  };
  window.lbcBookingBoard = board;
  showView();
  wide.addEventListener('change', showView);
  });
})();
