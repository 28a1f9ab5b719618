// "Copy the link" on campaign pages: without JavaScript the address stays in a read-only field.
(function () {
  "use strict";
  document.querySelectorAll("[data-share-copy]").forEach(function (root) {
    var input = root.querySelector("[data-share-url]");
    var button = root.querySelector("[data-share-button]");
    var status = root.querySelector("[data-share-status]");
    if (!input || !button || !status) {
      return;
    }
    input.addEventListener("focus", function () {
      input.select();
    });
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        status.textContent = button.getAttribute("data-copied");
      };
      var failed = function () {
        input.focus();
        input.select();
        status.textContent = button.getAttribute("data-failed");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(done, failed);
      } else {
        failed();
      }
    });
  });
})();
