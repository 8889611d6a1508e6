// troubledocs: the interface switch (UI / CLI / API / Terraform), chosen once for the whole site and remembered.
// A ?interface=cli link parameter selects an interface too. Without this script every interface stays visible.
(function () {
  "use strict";
  var KEY = "troubledocs.interface";
  var LABELS = { ui: "UI", cli: "CLI", api: "API", terraform: "Terraform" };

  function stored() {
    try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  function remember(name) {
    try { window.localStorage.setItem(KEY, name); } catch (e) { /* private mode: this page only */ }
  }

  function apply(root, name) {
    var nodes = root.querySelectorAll("[data-hd-interface]");
    for (var i = 0; i < nodes.length; i++) {
      var own = nodes[i].getAttribute("data-hd-interface");
      nodes[i].classList.toggle("td-interface-hidden", Boolean(name) && own !== name);
    }
    var buttons = root.querySelectorAll(".td-interface-switch button");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute("aria-pressed", String(buttons[j].value === name));
    }
  }

  function setup(root) {
    var switches = root.querySelectorAll(".td-interface-switch");
    if (!switches.length) return;
    var params = new URLSearchParams(window.location.search);
    var chosen = params.get("interface") || stored();
    for (var i = 0; i < switches.length; i++) {
      var box = switches[i];
      var names = (box.getAttribute("data-interfaces") || "").split(" ").filter(Boolean);
      if (chosen && names.indexOf(chosen) < 0) chosen = names[0];
      if (!chosen) chosen = names[0];
      box.textContent = "";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Show instructions for");
      names.forEach(function (name) {
        var button = document.createElement("button");
        button.type = "button";
        button.value = name;
        button.textContent = LABELS[name] || name;
        button.addEventListener("click", function () {
          remember(name);
          apply(document, name);
        });
        box.appendChild(button);
      });
    }
    if (params.get("interface")) remember(chosen);
    apply(root, chosen);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setup(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setup(document); });
  } else {
    setup(document);
  }
})();
