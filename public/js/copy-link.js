// The "Copy" button beside a read-only address: shown only when the clipboard can be
// written; without JavaScript the address stays selectable in its field.
(function () {
  'use strict';
  function reveal() {
    if (!navigator.clipboard) return;
    document.querySelectorAll('button[data-copy][hidden]').forEach(function (b) { b.hidden = false; });
  }
  reveal();
  if (window.lbcCopyLink) return; // loaded again by a boosted navigation
  window.lbcCopyLink = true;
  document.addEventListener('htmx:after:swap', reveal);
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var label = button.textContent;
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = button.getAttribute('data-copied');
      setTimeout(function () { button.textContent = label; }, 2000);
    }, function () { field.select(); });
  });
})();
