// ESOR intake dashboard: live counts and a "new applications" notice, and a
// confirmation before destructive forms. The pages work without this file.
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  var live = document.getElementById('live');
  if (!live || !window.fetch) return;
  var since = Number(live.getAttribute('data-since')) || 0;
  var triaged = 0;
  var more = false;
  var INTERVAL = 5000;

  function show() {
    live.textContent = '';
    var text = (more ? 'At least ' : '') + triaged + ' new application' + (triaged === 1 ? '' : 's') + ' triaged — ';
    live.appendChild(document.createTextNode(text));
    var link = document.createElement('a');
    link.href = window.location.pathname + window.location.search;
    link.textContent = 'refresh';
    live.appendChild(link);
    live.hidden = false;
  }

  function updateCounts(counts) {
    var cells = document.querySelectorAll('[data-count]');
    for (var i = 0; i < cells.length; i++) {
      var parts = cells[i].getAttribute('data-count').split(':');
      var byStatus = counts[parts[0]];
      if (byStatus && typeof byStatus[parts[1]] === 'number') cells[i].textContent = String(byStatus[parts[1]]);
    }
  }

  function poll() {
    if (document.hidden) return schedule();
    fetch('/live.json?since=' + encodeURIComponent(String(since)), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        // Signed out (or the session expired): stop asking.
        if (response.status === 401) return 'stop';
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data === 'stop') return;
        if (data) {
          if (data.latest > since) since = data.latest;
          triaged += data.triaged;
          more = more || data.more;
          if (triaged > 0) show();
          if (data.counts) updateCounts(data.counts);
        }
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    window.setTimeout(poll, INTERVAL);
  }

  schedule();
})();
