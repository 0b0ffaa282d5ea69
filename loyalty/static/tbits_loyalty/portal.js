/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
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
