/* Quick exit: leave for a neutral site and replace this page in the history, so Back does not
   return here. Also triggered by pressing Escape three times within two seconds. Without
   JavaScript the button is a plain link to the same neutral site. */
(function () {
  "use strict";
  var button = document.querySelector("[data-quick-exit]");
  if (!button) return;
  var destination = button.getAttribute("href");

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "";
    try { window.open(destination, "_blank", "noopener"); } catch (e) { /* popup blocked */ }
    window.location.replace(destination);
  }

  button.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
