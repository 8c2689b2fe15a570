// The admin's users grid: Ag Grid's Infinite Row Model over /api/admin/users, with
// disable/enable in the row. It replaces the server-rendered table of the page.
(function () {
  'use strict';
  var grid = window.lbcGrid;
  if (!grid) return;
  var el = grid.el;
  var documentNonce = grid.documentNonce;
  grid.whenReady('users-grid', function (root) {
  var cfg = JSON.parse(root.getAttribute('data-config'));
  var t = cfg.labels;
  var form = document.getElementById('users-filters');
  var message = document.getElementById('users-message');
  var tag = cfg.locale === 'fr' ? 'fr-FR' : 'en-GB';
  var date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: cfg.timeZone });
  var dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: cfg.timeZone });
  var csrf = grid.csrfToken;

  function say(text, kind) {
    message.textContent = text || '';
    message.className = 'grid-message' + (kind ? ' grid-message--' + kind : '');
    message.hidden = !text;
  }

  function stateRenderer(p) {
    if (!p.data) return '';
    var off = Boolean(p.data.disabledAt);
    var badge = el('span', { class: 'status ' + (off ? 'status--cancelled' : 'status--confirmed') });
    badge.appendChild(el('span', { class: 'status__dot', 'aria-hidden': 'true' }));
    badge.appendChild(document.createTextNode(off ? t.disabled : t.active));
    return badge;
  }
  function actionRenderer(p) {
    if (!p.data) return '';
    var off = Boolean(p.data.disabledAt);
    var button = el('button', { type: 'button', class: 'btn btn--ghost btn--xs' }, off ? t.enable : t.disable);
    button.addEventListener('click', function () {
      button.disabled = true;
      fetch('/admin/users/' + p.data.id + '/' + (off ? 'enabling' : 'disabling'), { method: 'POST', headers: { Accept: 'application/json', 'X-CSRF-Token': csrf() }, credentials: 'same-origin' })
        .then(function (res) { if (!res.ok) throw new Error(t.loadError); return res.json(); })
        .then(function () { api.refreshInfiniteCache(); })
        .catch(function (e) { say(e.message, 'error'); button.disabled = false; });
    });
    return button;
  }

  function params(p) {
    var q = new URLSearchParams(new FormData(form));
    Array.from(q.keys()).forEach(function (k) { if (!q.get(k)) q.delete(k); });
    q.set('startRow', p.startRow);
    q.set('endRow', p.endRow);
    if (p.sortModel.length) q.set('sortModel', JSON.stringify(p.sortModel));
    return q.toString();
  }

  // The pinned Actions column fits its longer label in this language ("Désactiver" was
  // clipped in a fixed 130 px) and its header.
  function actionsWidth() {
    var probe = el('div', { class: 'grid-measure', 'aria-hidden': 'true' });
    [t.enable, t.disable].forEach(function (label) { probe.appendChild(el('button', { class: 'btn btn--ghost btn--xs' }, label)); });
    probe.appendChild(el('span', { class: 'ag-header-cell-text' }, t.columns.actions));
    document.body.appendChild(probe);
    var widest = Math.max.apply(null, Array.prototype.map.call(probe.children, function (b) { return b.getBoundingClientRect().width; }));
    probe.remove();
    return Math.max(130, Math.ceil(widest) + 40);
  }

  var mount = el('div', { class: 'grid-mount', role: 'region', 'aria-label': t.gridLabel });
  root.appendChild(mount);
  var api = window.agGrid.createGrid(mount, {
    theme: window.agGrid.themeQuartz.withParams({ accentColor: '#1B4965', headerBackgroundColor: '#F8FAFB', fontFamily: 'inherit', fontSize: 14, rowHeight: 48 }),
    styleNonce: documentNonce(),
    loadThemeGoogleFonts: false,
    localeText: grid.localeText(cfg.locale),
    rowModelType: 'infinite',
    cacheBlockSize: 100,
    getRowId: function (p) { return p.data.id; },
    defaultColDef: { sortable: true, resizable: true, filter: false },
    columnDefs: [
      { field: 'displayName', headerName: t.columns.displayName, minWidth: 150, flex: 1 },
      { field: 'email', headerName: t.columns.email, minWidth: 150, flex: 1 },
      { field: 'username', headerName: t.columns.username, width: 130 },
      { field: 'role', headerName: t.columns.role, width: 100, valueFormatter: function (p) { return p.value ? t.role[p.value] : ''; } },
      { field: 'createdAt', headerName: t.columns.createdAt, width: 130, valueFormatter: function (p) { return p.value ? date.format(new Date(p.value)) : ''; } },
      { field: 'lastLoginAt', headerName: t.columns.lastLoginAt, width: 170, valueFormatter: function (p) { return p.data ? (p.value ? dateTime.format(new Date(p.value)) : t.never) : ''; } },
      { colId: 'state', headerName: t.columns.state, width: 120, sortable: false, cellRenderer: stateRenderer },
      // Pinned: the action stays in view however wide the other columns are.
      { colId: 'actions', headerName: t.columns.actions, width: actionsWidth(), pinned: 'right', sortable: false, cellRenderer: actionRenderer },
    ],
    datasource: {
      getRows: function (p) {
        fetch('/api/admin/users?' + params(p), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (res) { return res.json().then(function (b) { if (!res.ok) throw new Error((b.error && b.error.message) || t.loadError); return b; }); })
          .then(function (b) { p.successCallback(b.rows, b.lastRow); say(b.lastRow === 0 ? t.empty : '', 'info'); })
          .catch(function (e) { p.failCallback(); say(e.message, 'error'); });
      },
    },
    onGridReady: function () {
      var grid = mount.querySelector('[role="grid"], [role="treegrid"]');
      if (grid) grid.setAttribute('aria-label', t.gridLabel);
    },
  });
  document.getElementById('users-table').hidden = true;
  form.classList.add('is-enhanced');
  var timer;
  form.addEventListener('submit', function (e) { e.preventDefault(); api.purgeInfiniteCache(); });
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { api.purgeInfiniteCache(); }, 300); });
  });
})();
