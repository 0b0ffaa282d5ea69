{% autoescape off %}/* The portal's service worker: the fan's wallet (and its passes) kept for offline use.
 *
 * Rules (loyalty/offline.py says why):
 * - at most one fan's copy, in the cache "tbits-fan-" + the scope of the page that made it;
 * - a page of another scope, a visitor's page ("none"), the login page or the logout form
 *   drops every fan's copy;
 * - only a fan's page marked "Tbits-Offline: keep" is kept, with the static files it uses;
 *   never a POST's answer, a visitor's page or any other page;
 * - the network first, always; the kept copy only when the network fails, marked so the
 *   page shows "as of HH:MM"; another portal page asked for then leads to the kept one.
 */
"use strict";
var CONFIG = {{ config }};
var PREFIX = "tbits-fan-";
var OFFLINE_MARK = " data-tb-offline hidden";
// One change to the caches at a time, in order: a logout's clearing is never overtaken by
// the keeping of a page fetched before it.
var queue = Promise.resolve();

function serially(task) {
  queue = queue.then(task, task);
  return queue;
}

function fanCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PREFIX) === 0; });
  });
}

function dropAllBut(keep) {
  return fanCaches().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== keep; })
      .map(function (name) { return caches.delete(name); }));
  });
}

function staticUrls(html) {
  var found = [];
  var pattern = /(?:href|src)="([^"]+)"/g;
  var match;
  while ((match = pattern.exec(html)) !== null) {
    var url = new URL(match[1].replace(/&amp;/g, "&"), self.location.origin);
    if (url.origin === self.location.origin && url.pathname.indexOf(CONFIG.static) === 0) {
      found.push(url.href);
    }
  }
  return found;
}

function copyOf(html, response) {
  // The body is decoded text now: a length or an encoding of the bytes sent would lie.
  var headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  return new Response(html, { status: response.status, statusText: response.statusText, headers: headers });
}

function keep(scope, request, response) {
  var name = PREFIX + scope;
  return response.text().then(function (html) {
    return serially(function () {
      return dropAllBut(name).then(function () { return caches.open(name); }).then(function (cache) {
        return cache.put(request.url, copyOf(html, response)).then(function () {
          return Promise.all(staticUrls(html).map(function (url) {
            return fetch(url).then(function (answer) {
              if (answer.ok) { return cache.put(url, answer); }
            }).catch(function () {});
          }));
        });
      });
    });
  });
}

function keeps(response) {
  return response.type === "basic" && response.status === 200 &&
    response.headers.get("Tbits-Offline") === "keep";
}

function heard(request, response, copy) {
  // What a page from the network says about whose copy may stay.
  var url = new URL(request.url);
  var scope = response.headers.get("Tbits-Fan-Scope");
  if (url.pathname.indexOf(CONFIG.login) === 0 || scope === "none") {
    return serially(function () { return dropAllBut(null); });
  }
  if (!scope || response.type !== "basic") { return Promise.resolve(); }
  if (copy) { return keep(scope, request, copy); }
  return serially(function () { return dropAllBut(PREFIX + scope); });
}

function keptCopy(request) {
  return fanCaches().then(function (names) {
    if (names.length !== 1) { return undefined; }
    return caches.open(names[0]).then(function (cache) {
      return cache.match(request.url, { ignoreVary: true });
    });
  });
}

function keptPage() {
  // The one page kept (the wallet): the cache's only entry that is not a static file.
  return fanCaches().then(function (names) {
    if (names.length !== 1) { return undefined; }
    return caches.open(names[0]).then(function (cache) { return cache.keys(); }).then(function (keys) {
      var pages = keys.filter(function (key) {
        return new URL(key.url).pathname.indexOf(CONFIG.static) !== 0;
      });
      return pages.length ? pages[0].url : undefined;
    });
  });
}

function offlineCopy(request) {
  // After the changes queued before it: a fan change seen just now has dropped the copy.
  return serially(function () { return keptCopy(request); }).then(function (copy) {
    if (!copy) {
      // Another portal page, opened at the gate with no network: the fan's passes instead.
      if (new URL(request.url).pathname.indexOf(CONFIG.portal) !== 0) { return Response.error(); }
      return serially(keptPage).then(function (page) {
        return page ? Response.redirect(page, 302) : Response.error();
      });
    }
    return copy.text().then(function (html) {
      // The "as of" notes the page carries hidden are shown on the kept copy.
      return copyOf(html.split(OFFLINE_MARK).join(" data-tb-offline"), copy);
    });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method !== "GET") {
    if (url.pathname === CONFIG.logout) { event.waitUntil(serially(function () { return dropAllBut(null); })); }
    return;
  }
  if (request.mode === "navigate") {
    // The copy to keep is taken before the page reads the body.
    var answer = fetch(request).then(function (response) {
      return { response: response, copy: keeps(response) ? response.clone() : null };
    });
    event.respondWith(answer.then(function (got) { return got.response; },
      function () { return offlineCopy(request); }));
    event.waitUntil(answer.then(function (got) {
      return heard(request, got.response, got.copy);
    }, function () {}));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(fetch(request).catch(function () {
      return keptCopy(request).then(function (copy) { return copy || Response.error(); });
    }));
  }
});
{% endautoescape %}
