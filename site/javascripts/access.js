/* Keyboard and screen-reader fixes for the theme's menu and search: a progressive enhancement.
 *
 * The theme opens its menu (the navigation drawer, on narrow screens and at high zoom)
 * and its search with checkboxes toggled by <label>s, which the Tab key never reaches.
 * This script puts a button inside each label that opens the menu or the search (Tab
 * reaches it, Enter and Space press it, aria-expanded says whether what it opens is open), moves
 * focus into the menu when it opens and keeps it there (the page behind is inert while the
 * menu covers it; Escape closes the menu and returns focus to the button),
 * and names the search dialog. While closed, the drawer and the search results are kept
 * out of the tab order by the style sheet (site.css), which works without JavaScript too.
 * It reads only the theme's markup (the __drawer, __search and __toc toggles), so it works
 * with Material for MkDocs and with Zensical, which keeps the same markup; what only Zensical
 * has (its search dialog, its contents button) is said where it is mended.
 */
(function () {
  "use strict";

  var drawerToggle = document.getElementById("__drawer");
  var searchToggle = document.getElementById("__search");
  var drawer = document.querySelector(".md-sidebar--primary");
  var dialog = document.querySelector(".md-search[role=dialog]");
  // Material's drawer is off the screen below this width (its "screen" breakpoint, 76.25em).
  var narrow = window.matchMedia("(max-width: 76.234375em)");

  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Search this site");
  }

  function buttons(toggle, kind) {
    return Array.prototype.slice.call(document.querySelectorAll("label." + kind + '[for="' + toggle.id + '"]'));
  }

  // Each label holds a real button in place of its icon: a label cannot take focus or the
  // role of a button, and the label stays, because the theme shows or hides it by its `for`.
  function asButton(toggle, name, kind) {
    var made = buttons(toggle, kind || "md-header__button").map(function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sar-toggle";
      button.setAttribute("aria-label", name);
      while (label.firstChild) {
        button.appendChild(label.firstChild);
      }
      button.addEventListener("click", function (event) {
        event.preventDefault();  // the label would toggle it a second time
        toggle.click();
      });
      label.appendChild(button);
      return button;
    });
    function expanded() {
      made.forEach(function (button) { button.setAttribute("aria-expanded", String(toggle.checked)); });
    }
    toggle.addEventListener("change", expanded);
    expanded();
    return made;
  }

  if (drawerToggle) {
    var menu = asButton(drawerToggle, "Menu");
    if (drawer) {
      drawer.id = drawer.id || "sar-menu";
      menu.forEach(function (label) { label.setAttribute("aria-controls", drawer.id); });
    }
    // While the drawer is open over the page, what lies behind it takes no focus: the Tab key
    // stays in the menu, as it would in a dialog, and nothing focused is hidden behind it.
    var behind = ".md-header, .md-tabs, .md-content, .md-footer, .md-top, .md-skip, .md-banner";
    drawerToggle.addEventListener("change", function () {
      var open = drawerToggle.checked && narrow.matches;
      Array.prototype.forEach.call(document.querySelectorAll(behind), function (element) { element.inert = open; });
      if (drawerToggle.checked && drawer && narrow.matches) {
        var first = drawer.querySelector("a[href]");
        if (first) {
          first.focus();
        }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawerToggle.checked) {
        drawerToggle.click();
        if (menu[0]) {
          menu[0].focus();
        }
      }
    });
  }

  var searchButtons = searchToggle ? asButton(searchToggle, "Search") : [];

  // Zensical's contents of the page: on narrow screens a round button at the bottom right
  // (a label again) opens them over the page. Closed, they are see-through; the style sheet
  // takes them out of the tab order then, and this button opens them from the keyboard.
  var contentsToggle = document.getElementById("__toc");
  if (contentsToggle) {
    asButton(contentsToggle, "Contents of this page", "md-sidebar-button");
  }

  // Zensical's search is a dialog inside a shadow root that it adds to the page, out of reach
  // of site.css. Its highlighted words (its accent, 4.25:1 on white) and the grey page names
  // under each result (3.4:1) fall below 4.5:1, and its box of results scrolls but takes no
  // focus, so a keyboard cannot scroll it. A style sheet of our own goes into that shadow root,
  // and the box joins the tab order. Only the dialog's roles are read, never its class names
  // (which change from one release to the next); Material's search has no shadow root.
  // The dialog opens at any change of the search toggle and closes by itself (Escape, its close
  // button), leaving the toggle as it was: the toggle, and the buttons' aria-expanded, follow
  // the dialog instead, so that they say whether it is open.
  var searchLooks = [
    "dialog[aria-label] { --color-highlight: #303fa1; }",
    "a[role=option] mark { color: #303fa1; }",
    "a[role=option] menu { color: rgb(var(--color-foreground) / 0.75); }"
  ].join("\n");

  function mendSearch(root) {
    var dialog = root.querySelector("dialog");
    if (!dialog) {
      return;
    }
    if (searchToggle && searchToggle.checked !== dialog.open) {
      searchToggle.checked = dialog.open;  // set quietly: no change event, which would open it again
      searchButtons.forEach(function (button) { button.setAttribute("aria-expanded", String(dialog.open)); });
    }
    if (!root.sarMended && "adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(searchLooks);
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
      root.sarMended = true;
    }
    var results = root.querySelector("[role=listbox]");
    var box = results && results.parentElement;
    if (box && box.getAttribute("tabindex") !== "0") {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Search results");
    }
  }

  function watchSearch(host) {
    if (!host.shadowRoot || host.sarWatched) {
      return;
    }
    host.sarWatched = true;
    mendSearch(host.shadowRoot);
    new MutationObserver(function () { mendSearch(host.shadowRoot); })
      .observe(host.shadowRoot, { childList: true, subtree: true, attributes: true, attributeFilter: ["open"] });
  }

  Array.prototype.forEach.call(document.body.children, watchSearch);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { Array.prototype.forEach.call(change.addedNodes, function (node) {
      if (node.nodeType === 1) {
        watchSearch(node);
      }
    }); });
  }).observe(document.body, { childList: true });
})();
