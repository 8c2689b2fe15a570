// The lesson player: a lesson video is private, so its <video> has no src in the
// page. This asks /api/v1/lessons/:lessonId/video-url for a URL valid a few minutes,
// sets it, and gets a fresh one shortly before it expires, or when the browser
// reports an error (a range request after expiry while seeking), keeping the
// position and the play state. Once 90 % of the video was played (the ranges the
// browser really played, not a seek to the end), it reports the lesson done, once,
// and puts the answer in the page's done/not-done widget. Loaded by the lesson page;
// boosted navigation may run this file again, so it sets itself up once and then
// only scans for players.
(function () {
  'use strict';

  if (window.leboncoursLessonPlayer) {
    window.leboncoursLessonPlayer.scan();
    return;
  }

  var REFRESH_BEFORE_MS = 45 * 1000; // ask for a new URL this long before the current one ends
  var MIN_WAIT_MS = 5 * 1000;
  var MAX_ERROR_RETRIES = 3;
  var DONE_AT = 0.9; // share of the video played that makes the lesson done
  var MAX_REPORTS = 3; // attempts at reporting it (a network error may lose one)

  function fetchSecureUrl(endpoint) {
    return fetch(endpoint, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok || !body || typeof body.url !== 'string') {
          // The API answers RFC 9457 problems: `detail` is the message, in the page's language.
          var message = body && (body.detail || (body.error && body.error.message));
          throw new Error(message || 'HTTP ' + response.status);
        }
        return body;
      });
    });
  }

  function setup(video) {
    if (video.dataset.playerReady) return;
    video.dataset.playerReady = 'true';
    var endpoint = video.dataset.secureUrl;
    var status = video.dataset.status ? document.getElementById(video.dataset.status) : null;
    var timer = null;
    var errors = 0;
    var loading = false;

    function say(text) {
      if (status) status.textContent = text || '';
    }

    function schedule(expiresAt) {
      clearTimeout(timer);
      var end = Date.parse(expiresAt);
      var wait = isNaN(end) ? 4 * 60 * 1000 : end - Date.now() - REFRESH_BEFORE_MS;
      timer = setTimeout(function () { load(true); }, Math.max(MIN_WAIT_MS, wait));
    }

    /** Sets a new source; with `resume`, at the same position and playing if it was. */
    function swap(url, resume) {
      var position = video.currentTime || 0;
      var wasPlaying = !video.paused && !video.ended;
      var rate = video.playbackRate;
      if (!resume || !video.currentSrc) {
        video.src = url;
        return;
      }
      video.addEventListener('loadedmetadata', function restore() {
        video.removeEventListener('loadedmetadata', restore);
        try { video.currentTime = position; } catch { /* not seekable yet: starts over */ }
        video.playbackRate = rate;
        if (wasPlaying) video.play().catch(function () { /* autoplay refused: the user presses play */ });
      });
      video.src = url;
    }

    function load(resume) {
      // The page was swapped away (boosted navigation): stop refreshing.
      if (!document.body.contains(video)) return;
      if (loading) return;
      loading = true;
      if (!resume) say(status && status.dataset.loading);
      fetchSecureUrl(endpoint).then(function (body) {
        swap(body.url, resume);
        schedule(body.expiresAt);
        say('');
      }).catch(function (error) {
        clearTimeout(timer);
        say((status && status.dataset.failed ? status.dataset.failed + ' ' : '') + (error && error.message ? error.message : ''));
      }).then(function () { loading = false; });
    }

    video.addEventListener('error', function () {
      if (!video.currentSrc) return;
      if (errors >= MAX_ERROR_RETRIES) {
        say(status && status.dataset.failed);
        return;
      }
      errors += 1;
      load(true);
    });
    video.addEventListener('playing', function () { errors = 0; });

    var reports = 0;
    var reporting = false;

    function playedShare() {
      var duration = video.duration;
      if (!isFinite(duration) || duration <= 0) return 0;
      var seconds = 0;
      for (var i = 0; i < video.played.length; i += 1) seconds += video.played.end(i) - video.played.start(i);
      return Math.min(1, seconds / duration);
    }

    /** Reports the lesson done once the player saw enough of it; the widget shows the answer. */
    function reportIfWatched() {
      var url = video.dataset.completeUrl;
      var widget = video.dataset.completion ? document.getElementById(video.dataset.completion) : null;
      if (!url || reporting || reports >= MAX_REPORTS) return;
      if (widget && widget.dataset.completed === 'true') return;
      var share = playedShare();
      if (share < DONE_AT) return;
      reporting = true;
      reports += 1;
      var token = window.lbcCsrfToken ? window.lbcCsrfToken() : '';
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': token, 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
        body: 'watched=' + share.toFixed(3),
      }).then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      }).then(function (html) {
        reports = MAX_REPORTS; // done: never again on this page
        var current = video.dataset.completion ? document.getElementById(video.dataset.completion) : null;
        if (!current) return;
        current.outerHTML = html;
        var fresh = document.getElementById(video.dataset.completion);
        if (fresh && window.htmx && typeof window.htmx.process === 'function') window.htmx.process(fresh);
      }).catch(function () { /* the "Mark as done" button stays there */ }).then(function () { reporting = false; });
    }
    video.addEventListener('timeupdate', reportIfWatched);
    video.addEventListener('ended', reportIfWatched);

    load(false);
  }

  function scan() {
    document.querySelectorAll('video[data-lesson-player]').forEach(setup);
  }

  window.leboncoursLessonPlayer = { scan: scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
  document.addEventListener('htmx:after:swap', scan);
})();
