// What the Ag Grid pages share (bookings dashboard, admin users). Loaded by the layout
// on every page, so it is always there before a grid script that boosted navigation
// re-inserts (those run in the order they finish loading).
(function () {
  'use strict';
  // Kept on window: the layout may run this file again after a boosted navigation.
  var parts = window.lbcGridParts = window.lbcGridParts || {};
  var waiting = [];
  var loads = window.lbcGridLoads = window.lbcGridLoads || {};
  function tryRun(w) {
    if (!w.names.every(function (n) { return n in parts; })) return false;
    var at = waiting.indexOf(w);
    if (at !== -1) waiting.splice(at, 1);
    w.run.apply(null, w.names.map(function (n) { return parts[n]; }));
    return true;
  }
  window.lbcGrid = {
    /** The nonce of the CSP in force: the first page's, which boosted navigation keeps. */
    documentNonce: function () {
      var meta = document.querySelector('meta[name="csp-nonce"]');
      return meta ? meta.getAttribute('content') : undefined;
    },
    /** app.js's reader (loaded before this file by the layout). */
    csrfToken: function () {
      return window.lbcCsrfToken ? window.lbcCsrfToken() : '';
    },
    el: function (tag, attrs, text) {
      var node = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      if (text !== undefined) node.textContent = text;
      return node;
    },
    /** Ag Grid's own texts for the page's language (public/js/ag-grid-locale-*.js); English is built in. */
    localeText: function (locale) {
      return (window.lbcGridLocales || {})[locale];
    },
    /**
     * A count text from the server (src/i18n/index.ts pluralTexts): the form for this
     * number (exact 0 or 1, else its plural category in the page language), markers filled.
     */
    pluralText: function (text, values) {
      var n = values[text.arg];
      var form = text.forms['=' + n] || text.forms[new Intl.PluralRules(text.locale).select(n)] || text.forms.other;
      return form.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? String(values[name]) : m; });
    },
    /**
     * Calls start(root) once, when the page has the grid's root, the library is loaded
     * and so is the page's grid locale, if it has one (boosted navigation runs the
     * re-inserted scripts in the order they finish loading, not in page order).
     */
    /**
     * A page's parts announce themselves by name (provide) and a part that needs others
     * waits for them (need): boosted navigation runs re-inserted scripts in the order
     * they finish loading, so no file may assume another one ran first.
     */
    provide: function (name, value) {
      parts[name] = value;
      waiting.slice().forEach(function (w) { tryRun(w); });
    },
    need: function (names, run) {
      var w = { names: names, run: run };
      if (!tryRun(w)) waiting.push(w);
    },
    /**
     * Loads scripts in order, each once per page life (the Ag Grid view on wide screens
     * only, so a phone never downloads the library). Resolves when the last one ran.
     */
    load: function (urls) {
      return urls.reduce(function (previous, url) {
        return previous.then(function () {
          if (!loads[url]) {
            loads[url] = new Promise(function (resolve, reject) {
              var script = document.createElement('script');
              script.src = url;
              script.async = false;
              script.onload = function () { resolve(); };
              script.onerror = function () { delete loads[url]; reject(new Error('could not load ' + url)); };
              document.head.appendChild(script);
            });
          }
          return loads[url];
        });
      }, Promise.resolve());
    },
    whenReady: function (rootId, start) {
      var root = document.getElementById(rootId);
      if (!root || root.classList.contains('is-enhanced')) return;
      var localeScript = document.querySelector('script[data-grid-locale]');
      var localeMissing = function () {
        return localeScript && !window.lbcGrid.localeText(localeScript.getAttribute('data-grid-locale'));
      };
      var run = function () {
        if (root.classList.contains('is-enhanced') || !window.agGrid || localeMissing()) return;
        root.classList.add('is-enhanced');
        start(root);
      };
      if (window.agGrid && !localeMissing()) return run();
      var lib = document.querySelector('script[src*="/vendor/ag-grid/"]');
      if (lib && !window.agGrid) lib.addEventListener('load', run, { once: true });
      if (localeMissing()) localeScript.addEventListener('load', run, { once: true });
    },
  };
})();
