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
