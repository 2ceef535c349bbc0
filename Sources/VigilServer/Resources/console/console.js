// Vigil console: keyboard shortcuts, the queue's refresh, the claim countdown. No framework, no inline script.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  }
  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    var overlay = document.getElementById("shortcuts");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = document.getElementById("decision");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.key === "Escape" && overlay && !overlay.hidden) { overlay.hidden = true; return; }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    switch (event.key) {
      case "?": if (overlay) { overlay.hidden = !overlay.hidden; event.preventDefault(); } break;
      case "c": if (click("button[data-key='c']")) event.preventDefault(); break;
      case "m": if (click("#reveal-media")) event.preventDefault(); break;
      case "r": if (click("button[data-key='r']")) event.preventDefault(); break;
      case "j": if (click("button[data-key='j']")) event.preventDefault(); break;
      case "v":
        if (click("#o-violation")) { event.preventDefault(); var policy = document.getElementById("policy"); if (policy) policy.focus(); }
        break;
      case "n":
        if (click("#o-none")) { event.preventDefault(); var note = document.getElementById("note"); if (note) note.focus(); }
        break;
      case "s":
        var action = document.getElementById("action");
        if (action) { action.value = "suppress"; click("#o-violation"); event.preventDefault(); }
        break;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var close = document.getElementById("shortcuts-close");
    if (close) close.addEventListener("click", function () { document.getElementById("shortcuts").hidden = true; });
    // The queue refreshes itself every 15 seconds.
    var rows = document.getElementById("queue-rows");
    if (rows && rows.dataset.refresh && window.fetch) {
      setInterval(function () {
        // Marked as a refresh: it does not count as the moderator's activity, so an abandoned
        // page does not keep its session alive; once the session ends, the page goes to sign-in.
        fetch(rows.dataset.refresh, { credentials: "same-origin", headers: { "X-Vigil-Refresh": "1" } }).then(function (response) {
          if (response.ok && response.redirected === false) return response.text();
          if (response.redirected) window.location.assign("/console/signin?ended=1");
          return null;
        }).then(function (html) { if (html !== null) rows.innerHTML = html; }).catch(function () {});
      }, 15000);
    }
    // The claim's time left counts down.
    var lease = document.querySelector(".lease");
    if (lease) {
      var left = parseInt(lease.dataset.seconds, 10) || 0;
      var out = lease.querySelector(".countdown");
      setInterval(function () { left = Math.max(0, left - 1); out.textContent = String(left); }, 1000);
    }
  });
})();
