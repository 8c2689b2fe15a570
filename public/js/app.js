// Progressive enhancement for every page. Loaded with `defer` from the layout; the
// strict CSP allows no inline handlers, so behaviour lives here.
(function () {
  'use strict';

  /**
   * The CSRF token of the page in force. It lives in the body, which boosted
   * navigation replaces, so it is read at each use (a login brings a new one).
   * Shared with the other scripts (grids) as window.lbcCsrfToken.
   */
  function csrfToken() {
    var holder = document.getElementById('csrf-token');
    return holder ? holder.getAttribute('data-token') : '';
  }
  window.lbcCsrfToken = csrfToken;

  // The viewer's time zone, so anonymous pages show times in it (signed-in users
  // have it in their profile). Read on the server from the `tz` cookie.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('tz=' + encodeURIComponent(zone)) === -1) {
      document.cookie = 'tz=' + encodeURIComponent(zone) + ';path=/;max-age=31536000;samesite=lax';
    }
  } catch { /* old browsers keep the default zone */ }

  // Every htmx request carries the CSRF token; forms also send it as a hidden field.
  document.addEventListener('htmx:config:request', function (event) {
    var token = csrfToken();
    var ctx = event.detail && event.detail.ctx;
    if (token && ctx && ctx.request && ctx.request.headers) ctx.request.headers['X-CSRF-Token'] = token;
  });

  // No double submit: a plain (non-htmx) form disables its submit button once sent.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    setTimeout(function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.setAttribute('aria-busy', 'true'); });
    }, 0);
  });

  // The booking modal: htmx swaps a step into the dialog, which then opens as a real
  // modal (focus trapped, Escape closes). Closing it releases the held slot at once.
  document.addEventListener('htmx:after:swap', function () {
    var dialog = document.getElementById('booking-modal');
    if (!dialog || !dialog.querySelector('#booking-flow')) return;
    if (!dialog.open) dialog.showModal();
    // Each step replaces the content: keep the keyboard and screen readers in the
    // dialog, on the alert when there is one (a lost slot), else on the title.
    var target = dialog.querySelector('#booking-flow [role="alert"]') || dialog.querySelector('#flow-title');
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  });
  document.addEventListener('click', function (event) {
    var close = event.target instanceof Element && event.target.closest('[data-close-modal]');
    var dialog = close && close.closest('dialog');
    if (dialog) { event.preventDefault(); dialog.close(); }
  });
  document.addEventListener('close', function (event) {
    var dialog = event.target;
    if (!(dialog instanceof HTMLDialogElement) || dialog.id !== 'booking-modal') return;
    var flow = dialog.querySelector('#booking-flow');
    if (flow && flow.dataset.release) {
      fetch(flow.dataset.release, { method: 'POST', headers: { 'X-CSRF-Token': csrfToken(), 'HX-Request': 'true', 'HX-Request-Type': 'partial' }, credentials: 'same-origin' });
    }
    dialog.querySelector('#booking-modal-body').innerHTML = '';
  }, true);

  // Boosted navigation swaps the body but keeps <html>: take the new page's language from
  // the body (#page-lang) so screen readers and hyphenation follow a language switch.
  function syncLang() {
    var holder = document.getElementById('page-lang');
    var lang = holder && holder.getAttribute('data-lang');
    if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
  }
  document.addEventListener('htmx:after:swap', syncLang);
  document.addEventListener('htmx:after:settle', syncLang);

  // The phone menu is a <details>: Escape closes it and gives focus back to its button.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var menu = document.querySelector('details.site-menu[open]');
    if (!menu) return;
    menu.open = false;
    var toggle = menu.querySelector('summary');
    if (toggle) toggle.focus();
  });

  // Avatar preview before upload.
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.preview) return;
    var img = document.getElementById(input.dataset.preview);
    var file = input.files && input.files[0];
    if (!img || !file || !/^image\//.test(file.type)) return;
    // Without a photo yet the preview is the initial: an <img> with no src is invalid HTML.
    if (!(img instanceof HTMLImageElement)) {
      var fresh = document.createElement('img');
      fresh.id = img.id;
      fresh.alt = '';
      img.replaceWith(fresh);
      img = fresh;
    }
    // srcset would win over the new src and keep showing the old photo.
    img.removeAttribute('srcset');
    img.setAttribute('src', URL.createObjectURL(file));
  });
})();
