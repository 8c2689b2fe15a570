// The bookings dashboard: the page first renders a plain HTML table (no JavaScript
// needed); this script replaces it with one of two views of the same rows, the Ag Grid
// from 700 px (bookings-grid.js, loaded with the library only on a wide screen, so a
// phone never downloads it) and cards below (booking-cards.js). This file owns what
// both views share: the page's filters, the one fetch of /api/bookings (sorting,
// filtering and paging happen in PostgreSQL), the selection, and the swap of the
// views when the width crosses the breakpoint. The decision dialog and the bulk bar
// live in booking-decisions.js.
(function () {
  'use strict';
  var grid = window.lbcGrid;
  if (!grid) return;
  var el = grid.el;

  grid.need(['booking-cards', 'booking-decisions'], function (createCards, createDecisions) {
  var root = document.getElementById('bookings-grid');
  if (!root || root.classList.contains('is-enhanced')) return;
  root.classList.add('is-enhanced');

  var cfg = JSON.parse(root.getAttribute('data-config'));
  var t = cfg.labels;
  var quick = document.getElementById('grid-quick');
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('[data-status-filter]'));
  var fromInput = document.getElementById('grid-from');
  var toInput = document.getElementById('grid-to');
  var message = document.getElementById('grid-message');
  var exportLink = document.getElementById('grid-export');
  var fallback = document.getElementById('bookings-table');

  // Built at first use: the server-rendered cards and table need no formatting at load,
  // and the first Intl formatter of a page is a long task on a slow phone.
  var dateTime = null;
  function formatDate(iso) {
    if (!dateTime) dateTime = new Intl.DateTimeFormat(cfg.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: cfg.timeZone });
    return dateTime.format(new Date(iso));
  }
  var money = function (cents, currency) { // integer cents, formatted from their exact decimal string
    return new Intl.NumberFormat(cfg.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: currency || 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(Math.floor(cents / 100) + '.' + String(cents % 100).padStart(2, '0'));
  };

  // Status: colour plus a shape and the word (never colour alone), as in the pages.
  function statusBadge(status) {
    if (!status) return '';
    var badge = el('span', { class: 'status status--' + status });
    badge.appendChild(el('span', { class: 'status__dot', 'aria-hidden': 'true' }));
    badge.appendChild(document.createTextNode(t.status[status] || status));
    return badge;
  }

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

  // The grid's layout (column order and width, sort, filters) survives a reload and
  // travels in the URL; the cards read its sort and filters too.
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
  function saveState(state) {
    var json = JSON.stringify(state);
    try { localStorage.setItem(stateKey, json); } catch { /* private mode: URL only */ }
    var url = new URL(location.href);
    url.searchParams.set('grid', btoa(unescape(encodeURIComponent(json))));
    history.replaceState(history.state, '', url);
  }

  // One block of rows, for either view: the page's filters plus the grid's sort and
  // column filters (from the live grid, else from its saved state, so the cards keep
  // the order and filters set on the desktop).
  var estimate;
  function fetchRows(startRow, endRow, sortModel, filterModel) {
    if (sortModel === undefined) {
      var state = gridView ? gridView.state() : readState();
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
        // An estimated total (the admin's whole table) stays said while later blocks load.
        if (startRow === 0) estimate = r.body.estimatedRowCount;
        if (estimate !== undefined) showMessage(t.totalEstimated.replace('{count}', new Intl.NumberFormat(cfg.locale).format(estimate)), 'info');
        else showMessage(r.body.lastRow === 0 && startRow === 0 ? t.empty : '', r.body.lastRow === 0 ? 'info' : '');
        return r.body;
      })
      .catch(function (error) {
        showMessage(error.message || t.loadError, 'error');
        throw error;
      });
  }

  // The selection, shared by both views (id -> row): the grid's own is mirrored into it.
  var selection = new Map();
  function setSelected(row, on) {
    if (on && row.canApprove) selection.set(row.id, row);
    else selection.delete(row.id);
  }

  // One view at a time: the grid from 700 px, the cards below. A hidden view does not
  // fetch; it reloads when it comes back if the rows changed meanwhile.
  var wide = window.matchMedia('(min-width: 700px)');
  var gridView = null;
  var gridLoading = false;
  var cards = null;
  var stale = { grid: false, cards: false };
  function showGrid() {
    if (gridView) {
      if (stale.grid) gridView.reload();
      stale.grid = false;
      gridView.syncSelection();
    } else if (!gridLoading) {
      gridLoading = true;
      grid.load(cfg.gridScripts).then(function () {
        grid.need(['booking-grid'], function (createGrid) {
          if (!root.isConnected || gridView) return;
          gridView = createGrid(board);
          stale.grid = false;
          showView();
        });
      }, function () {
        gridLoading = false; // the plain table stays; the next resize tries again
        showMessage(t.loadError, 'error');
      });
    }
  }
  function showView() {
    if (!root.isConnected) { wide.removeEventListener('change', showView); return; }
    if (wide.matches) {
      showGrid();
    } else if (!cards) {
      cards = createCards(board);
      stale.cards = false;
    } else {
      if (stale.cards) cards.reload(); else cards.syncSelection();
      stale.cards = false;
    }
    if (gridView) gridView.el.hidden = !wide.matches;
    if (cards) cards.el.hidden = wide.matches;
    // Until the active view is built (the grid's library may still be loading), the plain table stays.
    if (fallback) fallback.hidden = wide.matches ? Boolean(gridView) : Boolean(cards);
  }

  var debounce;
  var pristine = true;
  function refresh() {
    pristine = false;
    if (gridView && wide.matches) gridView.reload(); else stale.grid = true;
    if (cards && !wide.matches) cards.reload(); else stale.cards = true;
  }
  if (quick) quick.addEventListener('input', function () { clearTimeout(debounce); debounce = setTimeout(refresh, 300); });
  statusBoxes.concat([fromInput, toInput]).forEach(function (input) { if (input) input.addEventListener('change', refresh); });
  var filterForm = document.getElementById('grid-filters');
  if (filterForm) {
    filterForm.classList.add('is-enhanced');
    filterForm.addEventListener('submit', function (e) { e.preventDefault(); refresh(); });
  }

  // What the views and the dialog read and call: the same rows, formats and selection.
  var board = {
    root: root,
    cfg: cfg,
    labels: t,
    el: el,
    fetchRows: fetchRows,
    readState: readState,
    saveState: saveState,
    formatDate: formatDate,
    /** Nothing has changed the rows since the page load: the server's cards are still the first block. */
    pristine: function () { return pristine; },
    money: money,
    statusBadge: statusBadge,
    openDecision: function (action, rows, origin) { decisions.open(action, rows, origin); },
    isSelected: function (id) { return selection.has(id); },
    setSelected: function (row, on) { setSelected(row, on); decisions.updateBulk(); },
    selected: function () { return Array.from(selection.values()); },
    clearSelection: function () { selection.clear(); if (gridView) gridView.syncSelection(); decisions.updateBulk(); },
    refresh: refresh,
    /** The view in use (the grid or the cards), for the dialog's focus return. */
    activeView: function () { return wide.matches ? gridView : cards; },
  };
  var decisions = createDecisions(board);
  showView();
  wide.addEventListener('change', showView);
  });
})();
