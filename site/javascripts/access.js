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
 * It reads only the theme's markup (the __drawer and __search toggles), so it works with
 * Material for MkDocs and with Zensical, which keeps the same markup.
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

  function buttons(toggle) {
    return Array.prototype.slice.call(
      document.querySelectorAll('label.md-header__button[for="' + toggle.id + '"]'));
  }

  // Each label holds a real button in place of its icon: a label cannot take focus or the
  // role of a button, and the label stays, because the theme shows or hides it by its `for`.
  function asButton(toggle, name) {
    var made = buttons(toggle).map(function (label) {
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

  if (searchToggle) {
    asButton(searchToggle, "Search");
  }
})();
