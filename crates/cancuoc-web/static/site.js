// Small enhancements only: every page works without this script.
(function () {
  "use strict";
  // A step field (`data-autosubmit`): choosing in it shows the next step
  // at once. The step fields after it are cleared first (a new office has its
  // own days, a new day its own times), then the form's step button
  // (`data-step`) is pressed, so the request is exactly the one a person
  // without script sends with that button.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el || !el.matches || !el.matches("[data-autosubmit]")) return;
    var form = el.form;
    if (!form) return;
    var steps = form.querySelectorAll("[data-autosubmit]");
    var after = false;
    for (var i = 0; i < steps.length; i++) {
      if (after) steps[i].value = "";
      if (steps[i] === el) after = true;
    }
    var button = form.querySelector("[data-step]");
    if (form.requestSubmit) {
      form.requestSubmit(button || undefined);
    } else if (button) {
      button.click();
    } else {
      form.submit();
    }
  });
})();
// The error summary on top of a refused form (`_error_summary.html`): its
// heading has `autofocus`; a browser that does not focus a heading by it
// gets the focus moved here, so the first thing read is what to fix.
(function () {
  "use strict";
  var h = document.querySelector("[data-error-summary]");
  if (h && document.activeElement !== h && typeof h.focus === "function") {
    h.focus();
  }
})();
// The code page's "send a new code" button (`data-resend-in`, seconds):
// the page says from what time it may be pressed, which is all a browser
// without script needs; here the button stays disabled until then, and
// the seconds left (`data-countdown`) count down.
(function () {
  "use strict";
  var button = document.querySelector("[data-resend-in]");
  if (!button) return;
  var left = parseInt(button.getAttribute("data-resend-in"), 10);
  if (!(left > 0)) return;
  var shown = document.querySelector("[data-countdown]");
  var until = Date.now() + left * 1000;
  button.disabled = true;
  var tick = function () {
    var s = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    if (shown) shown.textContent = String(s);
    if (s <= 0) {
      button.disabled = false;
      return;
    }
    window.setTimeout(tick, 500);
  };
  tick();
})();
