/* Quick exit, after the government design systems' "Exit this page" pattern.

   The button (a plain link to a neutral site, so it works without JavaScript) or Shift pressed
   three times within five seconds blanks the page at once, then replaces it by the neutral site
   with location.replace, so Back does not return here. Escape is not used: in browsers it also
   stops the next page from loading. Each Shift press is shown and announced politely ("Shift 1/3");
   Shift held for a capital letter or Shift+Tab never counts. The keyboard hint is revealed only
   where a keyboard is likely (a fine pointer that hovers) or as soon as a key is pressed. */
(function () {
  "use strict";
  var root = document.querySelector("[data-quick-exit-root]");
  var button = document.querySelector("[data-quick-exit]");
  if (!root || !button) return;
  var destination = button.getAttribute("href");
  var status = root.querySelector("[data-quick-exit-status]");
  var hint = root.querySelector("[data-quick-exit-hint]");
  var TIMEOUT = 5000;
  var presses = 0;
  var lastKeyWasModified = false;
  var timer = null;
  var overlay = null;

  function say(count, message) {
    if (!status) return;
    status.textContent = "";
    if (!count) return;
    var visible = document.createElement("span");
    visible.textContent = (status.getAttribute("data-count") || "{count}/3")
      .replace("{count}", String(count));
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = " " + (message || "");
    status.appendChild(visible);
    status.appendChild(spoken);
  }

  function reset() {
    presses = 0;
    if (timer) window.clearTimeout(timer);
    timer = null;
    say(0);
  }

  function leave(event) {
    if (event) event.preventDefault();
    reset();
    document.title = "";
    document.body.classList.add("quick-exit-leaving");
    overlay = document.createElement("div");
    overlay.className = "quick-exit-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = root.getAttribute("data-leaving") || "";
    document.body.appendChild(overlay);
    window.location.replace(destination);
  }

  function revealHint() {
    if (hint) hint.hidden = false;
  }

  button.addEventListener("click", leave);

  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      if (presses >= 3) {
        leave();
        return;
      }
      say(presses, root.getAttribute(presses === 1 ? "data-two-more" : "data-one-more"));
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(reset, TIMEOUT);
    } else if (presses) {
      reset();
    }
    lastKeyWasModified = event.shiftKey;
  }, true);

  document.addEventListener("keydown", revealHint, { once: true, capture: true });
  if (window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) {
    revealHint();
  }

  // Coming Back to a page kept in the browser's cache: show it again, with no count.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.body.classList.remove("quick-exit-leaving");
    if (overlay) overlay.remove();
    overlay = null;
    reset();
  });

  // Chromium brings a newly focused element into view only when it lies outside the window,
  // scroll-padding or not: one half hidden under the bar would stay there (WCAG 2.4.11).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (root.contains(target) || !target.getBoundingClientRect) return;
    var rect = target.getBoundingClientRect(), bar = root.getBoundingClientRect();
    if (rect.top < bar.bottom && rect.bottom > bar.top) {
      window.scrollBy(0, rect.top - bar.bottom - 8);
    }
  });
})();
