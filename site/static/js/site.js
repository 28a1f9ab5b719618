/* Small enhancements of every page; each works without the others, and the page works
   without any of them. */
(function () {
  "use strict";

  /* On paper, every disclosure (FAQ answers, video transcripts) is printed open; the ones the
     reader had closed close again after printing. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  /* On a phone the main menu is one row that scrolls sideways: a link reached with the
     keyboard is brought fully into view, never left half under the fade. */
  var menu = document.querySelector(".main-nav__list");
  if (menu) {
    menu.addEventListener("focusin", function (event) {
      if (event.target.scrollIntoView) {
        event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    });
  }
})();
