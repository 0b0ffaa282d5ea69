/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Offline passes (loyalty/offline.py): a fan's page registers the service worker that
  // keeps the wallet for use without a network. A copy it served offline ("as of" shown)
  // is replaced by the live page as soon as the network is back.
  var script = document.currentScript;
  var worker = script && script.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker, { scope: script.getAttribute("data-worker-scope") })
      .catch(function () {});
  }
  if (document.querySelector("[data-tb-offline]:not([hidden])")) {
    // Back online is when the page itself answers (a HEAD: the worker never serves one);
    // the "online" event says only that a network is there, so it asks then, and every 10 s.
    var retry = function () {
      fetch(window.location.href, { method: "HEAD", cache: "no-store" }).then(function (answer) {
        if (answer.ok) { window.location.reload(); } else { later(); }
      }, later);
    };
    var later = function () { window.setTimeout(retry, 10000); };
    window.addEventListener("online", retry);
    later();
  }
  // Copy buttons for prize codes: shown only when the clipboard can be used.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentElement.querySelector(".tb-copy__status");
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      });
    });
  });
  // A form that completes a quest is sent once: the server de-duplicates anyway, but a
  // disabled button tells a fan on a slow connection that the tap was taken.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
