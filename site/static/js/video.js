/* Click-to-load videos (home/blocks.py VideoBlock). Before the click the page requests nothing
   from the video host: a poster from this site and a link to the video's page on the host,
   which is all there is without JavaScript. Here the button is revealed; pressing it replaces
   the poster by the host's privacy-enhanced player (youtube-nocookie.com, Vimeo with dnt=1),
   titled for assistive technologies, and moves the focus to it. */
(function () {
  "use strict";
  var figures = document.querySelectorAll("[data-video]:not([data-video-ready])");
  Array.prototype.forEach.call(figures, function (figure) {
    figure.setAttribute("data-video-ready", "");
    var frame = figure.querySelector(".video__frame");
    var button = figure.querySelector(".video__play");
    var source = figure.getAttribute("data-embed-url") || "";
    if (!frame || !button || source.indexOf("https://") !== 0) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var iframe = document.createElement("iframe");
      iframe.src = source;
      iframe.title = figure.getAttribute("data-video-title") || "";
      iframe.setAttribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media");
      iframe.setAttribute("allowfullscreen", "");
      iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      iframe.className = "video__iframe";
      var player = document.createElement("div");
      player.className = "video__player";
      player.appendChild(iframe);
      figure.insertBefore(player, frame);
      // The poster and the button go; the link to the host's page stays under the player, a
      // way out when the player cannot load (a blocked network).
      var poster = frame.querySelector("picture") || frame.querySelector(".video__poster");
      if (poster) poster.parentNode.removeChild(poster);
      button.parentNode.removeChild(button);
      figure.classList.add("video--playing");
      iframe.focus();
    });
  });
})();
