// The admin course editor, progressively enhanced. Without this file every form still
// works: lists are textareas (one item per line), uploads post normally.
//   - textarea[data-list-editor] becomes one input per item with add/remove buttons;
//   - form[data-upload] is sent with XMLHttpRequest and shows a <progress> bar, then
//     follows the redirect (or shows the page with the messages beside the fields);
//   - form[data-confirm] asks before it is sent (deletions).
// Loaded by the editor pages; boosted navigation may run this file again, so it sets
// itself up once and then only enhances what is new.
(function () {
  'use strict';

  if (window.leboncoursCourseEditor) {
    window.leboncoursCourseEditor.enhance(document);
    return;
  }

  function format(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  // ---- lists: one input per item ------------------------------------------------------

  function itemRow(editor, value) {
    var li = document.createElement('li');
    li.className = 'list-editor__item';
    var input = document.createElement('input');
    input.className = 'field__input';
    input.type = 'text';
    input.name = editor.dataset.name;
    input.value = value;
    input.maxLength = 300;
    if (editor.dataset.datalist) input.setAttribute('list', editor.dataset.datalist);
    li.appendChild(input);
    li.appendChild(listButton('btn--xs', 'data-list-remove', editor.dataset.removeLabel || '×'));
    return li;
  }

  /** A list's add and remove buttons: found again by their data attribute on click. */
  function listButton(size, marker, text) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn--ghost ' + size;
    button.setAttribute(marker, '');
    button.textContent = text;
    return button;
  }

  /** Labels say which item they are ("Prerequisite 2"); the add button stops at the maximum. */
  function relabel(editor) {
    var rows = editor.querySelectorAll('.list-editor__item');
    rows.forEach(function (row, i) {
      var label = format(editor.dataset.itemLabel, { n: i + 1 });
      row.querySelector('input').setAttribute('aria-label', label);
      row.querySelector('[data-list-remove]').setAttribute('aria-label', (editor.dataset.removeLabel || '') + ' — ' + label);
    });
    var add = editor.querySelector('[data-list-add]');
    var max = Number(editor.dataset.max || 0);
    if (add) add.disabled = max > 0 && rows.length >= max;
  }

  function enhanceList(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = 'true';
    var editor = document.createElement('div');
    editor.className = 'list-editor';
    editor.dataset.name = textarea.name;
    ['max', 'itemLabel', 'addLabel', 'removeLabel', 'datalist'].forEach(function (key) {
      if (textarea.dataset[key]) editor.dataset[key] = textarea.dataset[key];
    });
    var labelId = textarea.id + '-label';
    editor.setAttribute('role', 'group');
    if (document.getElementById(labelId)) editor.setAttribute('aria-labelledby', labelId);
    var described = textarea.getAttribute('aria-describedby');
    if (described) editor.setAttribute('aria-describedby', described);

    var list = document.createElement('ul');
    list.className = 'list-editor__items';
    textarea.value.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (value) {
      list.appendChild(itemRow(editor, value));
    });
    editor.appendChild(list);
    editor.appendChild(listButton('btn--sm', 'data-list-add', editor.dataset.addLabel || '+'));

    // The textarea leaves the form: its name moves to the item inputs.
    textarea.hidden = true;
    textarea.removeAttribute('name');
    textarea.disabled = true;
    var label = document.getElementById(labelId);
    if (label) label.removeAttribute('for');
    textarea.insertAdjacentElement('afterend', editor);
    relabel(editor);
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var add = target.closest('[data-list-add]');
    var remove = target.closest('[data-list-remove]');
    var editor = (add || remove) && (add || remove).closest('.list-editor');
    if (!editor) return;
    event.preventDefault();
    var list = editor.querySelector('.list-editor__items');
    if (add) {
      var row = itemRow(editor, '');
      list.appendChild(row);
      relabel(editor);
      row.querySelector('input').focus();
      return;
    }
    var item = remove.closest('.list-editor__item');
    var next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    relabel(editor);
    // Keep the keyboard in the list: the neighbour's input, or the add button.
    (next ? next.querySelector('input') : editor.querySelector('[data-list-add]')).focus();
  });

  // Enter in an item adds the next one instead of sending the whole form.
  document.addEventListener('keydown', function (event) {
    var input = event.target;
    if (event.key !== 'Enter' || !(input instanceof HTMLInputElement) || !input.closest('.list-editor__item')) return;
    event.preventDefault();
    var add = input.closest('.list-editor').querySelector('[data-list-add]');
    if (add && !add.disabled) add.click();
  });

  // ---- deletions ask first --------------------------------------------------------------

  // Capture phase: runs before htmx's boosted submit, and stops it when cancelled.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // ---- uploads with a progress bar -------------------------------------------------------

  function showFragment(form, html) {
    var box = form.querySelector('.upload-progress__text');
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var alert = doc.querySelector('.alert');
    if (box) box.textContent = (alert ? alert.textContent : form.dataset.uploadFailed || '').trim();
  }

  /** A page came back (messages beside the fields): it replaces the current one. */
  function showPage(html, formAction) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    if (doc.title) document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    if (window.htmx && typeof window.htmx.process === 'function') window.htmx.process(document.body);
    enhance(document);
    // Focus the message of the form that was sent, else the page's alert.
    var form = document.querySelector('form[action="' + formAction + '"]');
    var target = (form && form.querySelector('[aria-invalid="true"]')) || document.querySelector('.alert');
    if (target) {
      if (!target.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  /** Navigates; a target that differs only by its #fragment would merely scroll, so it reloads. */
  function go(location) {
    var target = new URL(location, window.location.href);
    var here = window.location;
    if (target.origin === here.origin && target.pathname === here.pathname && target.search === here.search) {
      if (target.hash) here.hash = target.hash;
      here.reload();
      return;
    }
    here.assign(target.href);
  }

  function upload(form) {
    var progress = form.querySelector('[data-upload-progress]');
    var bar = progress && progress.querySelector('progress');
    var text = progress && progress.querySelector('.upload-progress__text');
    var buttons = form.querySelectorAll('button[type="submit"]');
    var action = form.getAttribute('action');
    var setBusy = function (busy) {
      buttons.forEach(function (b) { b.disabled = busy; });
      form.setAttribute('aria-busy', busy ? 'true' : 'false');
    };

    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    // Answered like an htmx request: a redirect becomes 204 + HX-Location, so the flash
    // message is not spent by a redirect the XHR would follow on its own.
    xhr.setRequestHeader('HX-Request', 'true');
    xhr.setRequestHeader('HX-Request-Type', 'partial');
    xhr.upload.addEventListener('progress', function (event) {
      if (!event.lengthComputable || !bar) return;
      var percent = Math.floor((event.loaded / event.total) * 100);
      bar.value = percent;
      if (text) text.textContent = format(form.dataset.uploading, { percent: percent });
    });
    xhr.addEventListener('load', function () {
      var location = xhr.getResponseHeader('HX-Location');
      if (location && xhr.status < 500) {
        go(location);
        return;
      }
      setBusy(false);
      var html = xhr.responseText || '';
      if (/<body[\s>]/i.test(html)) showPage(html, action);
      else showFragment(form, html);
    });
    xhr.addEventListener('error', function () {
      setBusy(false);
      if (text) text.textContent = form.dataset.uploadFailed || '';
    });

    var data = new FormData(form);
    setBusy(true);
    if (progress) progress.hidden = false;
    if (bar) bar.value = 0;
    if (text) text.textContent = format(form.dataset.uploading, { percent: 0 });
    xhr.send(data);
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload') || event.defaultPrevented) return;
    if (!window.FormData || !window.XMLHttpRequest) return; // the browser posts it itself
    event.preventDefault();
    event.stopPropagation();
    upload(form);
  }, true);

  // ---- set-up ------------------------------------------------------------------------------

  function enhance(root) {
    root.querySelectorAll('textarea[data-list-editor]').forEach(enhanceList);
  }

  window.leboncoursCourseEditor = { enhance: enhance };
  // A boosted navigation that does not run this file again (it may be in the layout one day).
  document.addEventListener('htmx:after:swap', function () { enhance(document); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  else enhance(document);
})();
