// The lesson player: a lesson video is private, so its <video> has no src in the
// page. This asks /api/v1/videos/:lessonId/secure-url for a URL valid a few minutes,
// sets it, and gets a fresh one shortly before it expires, or when the browser
// reports an error (a range request after expiry while seeking), keeping the
// position and the play state. Loaded by the lesson page; boosted navigation may
// run this file again, so it sets itself up once and then only scans for players.
(function () {
  'use strict';

  if (window.leboncoursLessonPlayer) {
    window.leboncoursLessonPlayer.scan();
    return;
  }

  var REFRESH_BEFORE_MS = 45 * 1000; // ask for a new URL this long before the current one ends
  var MIN_WAIT_MS = 5 * 1000;
  var MAX_ERROR_RETRIES = 3;

  function fetchSecureUrl(endpoint) {
    return fetch(endpoint, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok || !body || typeof body.url !== 'string') {
          var message = body && body.error && body.error.message;
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
