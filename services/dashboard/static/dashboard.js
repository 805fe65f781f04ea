// ESOR intake dashboard: live counts and a "new applications" notice (server-sent
// events, polling when the stream drops), the page viewer's in-place page turns,
// and a confirmation before destructive forms. The pages work without this file.
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  setUpViewer();

  var live = document.getElementById('live');
  if (!live) return;
  var since = Number(live.getAttribute('data-since')) || 0;
  var triaged = 0;
  var more = false;
  var INTERVAL = 5000;
  var stopped = false;

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

  function apply(data) {
    if (data.latest > since) since = data.latest;
    triaged += data.triaged;
    more = more || data.more;
    if (triaged > 0) show();
    if (data.counts) updateCounts(data.counts);
  }

  // The server tells the page when the list changed (server-sent events, /live/events); when the
  // stream cannot be held, the page asks every few seconds instead (/live.json).
  function listen() {
    var stream = new window.EventSource('/live/events?since=' + encodeURIComponent(String(since)));
    live.setAttribute('data-mode', 'stream');
    stream.addEventListener('change', function (event) {
      try {
        apply(JSON.parse(event.data));
      } catch (e) {
        // A broken message: the next one carries the full counts again.
      }
    });
    stream.addEventListener('signed-out', function () {
      stopped = true;
      stream.close();
    });
    stream.onerror = function () {
      // Dropped (a restart, a proxy, the network) or refused: poll instead; a 401 stops the polling.
      stream.close();
      if (!stopped) fallBack();
    };
  }

  function fallBack() {
    live.setAttribute('data-mode', 'poll');
    schedule();
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
        if (data) apply(data);
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    window.setTimeout(poll, INTERVAL);
  }

  if (window.EventSource) listen();
  else if (window.fetch) fallBack();

  // The page viewer of an application: its links work as plain links (?page=n#viewer); here they turn
  // the page in place. The strip's items say which document each page belongs to (data-first/-last).
  function setUpViewer() {
    var viewer = document.getElementById('viewer');
    if (!viewer) return;
    var base = viewer.getAttribute('data-base');
    var rev = viewer.getAttribute('data-rev') || '';
    var total = Number(viewer.getAttribute('data-total')) || 1;
    var items = document.querySelectorAll('ol.strip li.thumb');
    var img = viewer.querySelector('img.viewer-img');
    var full = viewer.querySelector('a.viewer-full');
    var where = viewer.querySelector('.viewer-where');
    var pdf = viewer.querySelector('.viewer-pdf');
    var pdfTotal = pdf ? pdf.textContent.replace(/^.* of (\d+)\)$/, '$1') : String(total);
    viewer.tabIndex = 0;

    function item(n) {
      return items[n - 1];
    }

    function setLink(rel, to) {
      var el = viewer.querySelector('[data-rel="' + rel + '"]');
      if (!el) return;
      var link = el;
      if (to === undefined) {
        if (el.tagName === 'A') {
          link = document.createElement('span');
          link.className = 'viewer-off';
          link.setAttribute('data-rel', rel);
          link.textContent = el.textContent;
          el.parentNode.replaceChild(link, el);
        }
        return;
      }
      if (el.tagName !== 'A') {
        link = document.createElement('a');
        link.setAttribute('data-rel', rel);
        link.textContent = el.textContent;
        el.parentNode.replaceChild(link, el);
      }
      link.href = base + '?page=' + to + rev + '#viewer';
      link.setAttribute('data-view-page', String(to));
    }

    // `remember`: a page turned by the reader goes into the address, so a reload shows it again.
    function show(n, remember) {
      var it = item(n);
      if (!it) return;
      var first = Number(it.getAttribute('data-first'));
      var last = Math.min(Number(it.getAttribute('data-last')), total);
      var src = base + '/pages/' + n + '.png?w=800' + rev;
      img.src = src;
      img.alt = 'Page ' + n + ': ' + it.getAttribute('data-where');
      full.href = src;
      where.textContent = it.getAttribute('data-where');
      if (pdf) pdf.textContent = '(PDF page ' + n + ' of ' + pdfTotal + ')';
      viewer.className = 'viewer ' + it.className.replace(/\bthumb\b/, '').trim();
      viewer.setAttribute('data-page', String(n));
      setLink('prev', n > first ? n - 1 : undefined);
      setLink('next', n < last ? n + 1 : undefined);
      setLink('prev-doc', first > 1 && item(first - 1) ? Number(item(first - 1).getAttribute('data-first')) : undefined);
      setLink('next-doc', last < total ? last + 1 : undefined);
      for (var i = 0; i < items.length; i++) items[i].classList.toggle('shown', i === n - 1);
      if (remember && window.history && window.history.replaceState) window.history.replaceState(null, '', base + '?page=' + n + rev + '#viewer');
    }

    document.addEventListener('click', function (event) {
      var link = event.target && event.target.closest ? event.target.closest('a[data-view-page]') : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      show(Number(link.getAttribute('data-view-page')), true);
      if (!viewer.contains(link)) viewer.scrollIntoView({ block: 'start' });
    });

    viewer.addEventListener('keydown', function (event) {
      var rel = event.key === 'ArrowLeft' ? 'prev' : event.key === 'ArrowRight' ? 'next' : null;
      var link = rel && viewer.querySelector('a[data-rel="' + rel + '"]');
      if (!link) return;
      event.preventDefault();
      show(Number(link.getAttribute('data-view-page')), true);
    });

    show(Number(viewer.getAttribute('data-page')) || 1, false);
  }
})();
