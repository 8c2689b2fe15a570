// The bookings dashboard from 700 px: Ag Grid's Infinite Row Model over the board's
// fetch of /api/bookings (bookings-board.js loads this file and the library only on a
// wide screen). Here live the columns, the Actions cell and its keyboard, the grid's
// saved layout and where focus goes back after the decision dialog.
(function () {
  'use strict';
  var grid = window.lbcGrid;
  if (!grid) return;

  function createGridView(board) {
  var t = board.labels;
  var cfg = board.cfg;
  var el = board.el;
  var statusRenderer = function (params) { return board.statusBadge(params.value); };
  var formatDate = function (p) { return p.value ? board.formatDate(p.value) : ''; };

  // Each control says which action it is (data-action), so focus can come back to the
  // same one once the dialog closes, even after the grid drew the row again.
  function actionsRenderer(params) {
    var row = params.data;
    var box = el('span', { class: 'grid-actions' });
    if (!row) return box;
    var decide = function (action, label, kind) {
      var button = el('button', { type: 'button', class: 'btn btn--' + kind + ' btn--xs', 'data-action': action }, label);
      button.addEventListener('click', function () {
        board.openDecision(action, [row], { opener: button, rowId: row.id, rowIndex: params.node.rowIndex, action: action });
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
    startsAt: { field: 'startsAt', headerName: t.columns.startsAt, filter: 'agDateColumnFilter', filterParams: RANGE, width: 180, valueFormatter: formatDate },
    durationMinutes: { field: 'durationMinutes', headerName: t.columns.durationMinutes, filter: 'agNumberColumnFilter', filterParams: RANGE, width: 110, valueFormatter: function (p) { return p.value ? p.value + ' min' : ''; } },
    price: { colId: 'price', field: 'priceCents', headerName: t.columns.price, filter: 'agNumberColumnFilter', filterParams: RANGE, width: 110, valueFormatter: function (p) { return p.data ? board.money(p.value, p.data.currency) : ''; } },
    status: { field: 'status', headerName: t.columns.status, width: 150, filter: false, cellRenderer: statusRenderer },
    createdAt: { field: 'createdAt', headerName: t.columns.createdAt, filter: 'agDateColumnFilter', filterParams: RANGE, minWidth: 160, hide: true, valueFormatter: formatDate },
    actions: { colId: 'actions', headerName: t.columns.actions, sortable: false, filter: false, minWidth: 280, cellRenderer: actionsRenderer, suppressKeyboardEvent: actionsKeys },
  };

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

  // The grid's own selection mirrors the board's (the one the cards share).
  var USER_SELECTION = ['checkboxSelected', 'rowClicked', 'spaceKey'];
  function applySelection() {
    var on = [];
    var off = [];
    api.forEachNode(function (n) {
      if (!n.data || n.isSelected() === board.isSelected(n.data.id)) return;
      (board.isSelected(n.data.id) ? on : off).push(n);
    });
    if (on.length) api.setNodesSelected({ nodes: on, newValue: true, source: 'api' });
    if (off.length) api.setNodesSelected({ nodes: off, newValue: false, source: 'api' });
  }

  // Focus after the dialog: the same control in the same row, else that row's Actions
  // cell, else (the row left the view: a filter no longer matches it) the row now at its place.
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
    var count = api.getDisplayedRowCount();
    if (count > 0) api.setFocusedCell(Math.min(target.rowIndex || 0, count - 1), 'actions');
  }

  var datasource = {
    getRows: function (params) {
      board.fetchRows(params.startRow, params.endRow, params.sortModel, params.filterModel)
        .then(function (body) {
          params.successCallback(body.rows, body.lastRow);
          applySelection();
          var target = afterReload;
          afterReload = null;
          if (target) requestAnimationFrame(function () { settleFocus(target, 10); });
        })
        .catch(function () { params.failCallback(); });
    },
  };

  var mount = el('div', { class: 'grid-mount', role: 'region', 'aria-label': t.gridLabel });
  board.root.appendChild(mount);
  var api = window.agGrid.createGrid(mount, {
    theme: theme,
    styleNonce: grid.documentNonce(),
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
    initialState: board.readState(),
    localeText: grid.localeText(cfg.locale),
    domLayout: 'normal',
    onStateUpdated: function (e) { if (e.sources.some(function (s) { return s !== 'rowSelection' && s !== 'scroll' && s !== 'focusedCell'; })) saveState(); },
    onSelectionChanged: function (e) {
      if (USER_SELECTION.indexOf(e.source) !== -1) e.api.forEachNode(function (n) { if (n.data) board.setSelected(n.data, n.isSelected()); });
    },
    onGridReady: function () {
      var table = mount.querySelector('[role="grid"], [role="treegrid"]');
      if (table) table.setAttribute('aria-label', t.gridLabel);
    },
  });

  // The layout only: which rows are selected, the scroll and the focused cell are not kept.
  function saveState() {
    var state = api.getState();
    delete state.rowSelection;
    delete state.scroll;
    delete state.focusedCell;
    board.saveState(state);
  }

  return {
    el: mount,
    state: function () { return api.getState(); },
    reload: function () { api.purgeInfiniteCache(); },
    syncSelection: applySelection,
    rowIndexOf: function (id) { var node = api.getRowNode(id); return node && node.rowIndex != null ? node.rowIndex : 0; },
    focus: function (target) { settleFocus(target, 10); },
    focusAfterReload: function (target) { afterReload = target; },
  };
  }

  grid.provide('booking-grid', createGridView);
})();

