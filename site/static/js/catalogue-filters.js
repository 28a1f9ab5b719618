/* On small screens, fold the catalogue's filters away (unless some are in use) so the results
   come first. Without JavaScript the filters simply stay open. */
(function () {
  "use strict";
  var details = document.querySelector("[data-collapse-on-small-screens]");
  if (!details || details.hasAttribute("data-active")) return;
  if (window.matchMedia("(max-width: 60rem)").matches) details.open = false;
})();
