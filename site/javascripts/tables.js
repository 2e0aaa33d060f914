/* Sorting and filtering for the status site's tables: a progressive enhancement.
 *
 * The tables are plain HTML and complete without this script. It turns the heading of
 * every column marked data-sort-type into a button that sorts the rows (on the cell's
 * data-sort value where given, else its text), and builds a drop-down filter for each
 * column marked data-filter (matching the cell's data-value where given, else its
 * text), and says above a table that is wider than the screen that it scrolls sideways.
 * Nothing is fetched and no library is used.
 */
(function () {
  "use strict";

  function sortKey(cell) {
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function filterKey(cell) {
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
  }

  function compare(a, b, type) {
    if (a === "" || b === "") {
      return (a === "") - (b === "");  // empty cells last
    }
    if (type === "number") {
      return parseFloat(a) - parseFloat(b);
    }
    return a.localeCompare(b, "en-GB", { numeric: true, sensitivity: "base" });
  }

  function sortable(table, status) {
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headings.forEach(function (th, index) {
      var type = th.getAttribute("data-sort-type");
      if (!type) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sar-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headings.forEach(function (other) {
          if (other.hasAttribute("aria-sort")) {
            other.setAttribute("aria-sort", "none");
          }
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = compare(sortKey(a.cells[index]), sortKey(b.cells[index]), type);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        status.textContent = "Sorted by " + button.textContent + (ascending ? ", ascending." : ", descending.");
      });
    });
  }

  function filterable(table, status, noun) {
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var filters = [];
    var form = document.createElement("form");
    form.className = "sar-filters";
    form.setAttribute("aria-label", "Filter the table");
    headings.forEach(function (th, index) {
      if (!th.hasAttribute("data-filter")) {
        return;
      }
      var values = [];
      rows.forEach(function (row) {
        var value = filterKey(row.cells[index]);
        if (values.indexOf(value) < 0) {
          values.push(value);
        }
      });
      values.sort(function (a, b) { return compare(a, b, "text"); });
      var label = document.createElement("label");
      var title = document.createElement("span");
      title.textContent = th.textContent.trim();
      label.appendChild(title);
      var select = document.createElement("select");
      select.name = "filter-" + index;
      select.appendChild(new Option("All", ""));
      values.forEach(function (value) { select.appendChild(new Option(value, value)); });
      select.addEventListener("change", apply);
      label.appendChild(select);
      form.appendChild(label);
      filters.push({ index: index, select: select });
    });
    if (!filters.length) {
      return;
    }
    var reset = document.createElement("button");
    reset.type = "reset";
    reset.textContent = "Show all";
    form.appendChild(reset);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.appendChild(status);
    var wrapper = table.parentNode;
    wrapper.parentNode.insertBefore(form, wrapper);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = filters.every(function (f) {
          return f.select.value === "" || filterKey(row.cells[f.index]) === f.select.value;
        });
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " " + noun + ".";
    }
    apply();
  }

  function liveRegion(className) {
    var region = document.createElement("p");
    region.className = className;
    region.setAttribute("role", "status");
    return region;
  }

  // Two live regions: the filters' count, shown above the table, and the order of the
  // rows, for screen readers only, so that sorting never hides how many rows are shown.
  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    var order = liveRegion("sar-visually-hidden");
    table.parentNode.insertBefore(order, table);
    sortable(table, order);
    filterable(table, liveRegion("sar-filter-count"), table.getAttribute("data-table") || "rows");
  }

  // A table wider than the screen scrolls inside its box: say so above it, while it does.
  function cue(box) {
    var note = document.createElement("p");
    note.className = "sar-scroll-cue";
    note.textContent = "This table is wider than the screen: scroll it sideways to see every column.";
    note.hidden = true;
    box.parentNode.insertBefore(note, box);
    function check() {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      note.hidden = !scrolls;
      box.classList.toggle("sar-table--scrolls", scrolls);
    }
    check();
    if (window.ResizeObserver) {
      new ResizeObserver(check).observe(box);
    }
  }

  // The theme's own scrolling box round a table written in Markdown (the help pages) gets
  // the same: a name (the heading above it), a place in the tab order, and the note.
  function region(box) {
    var heading = box.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) {
      heading = heading.previousElementSibling;
    }
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", heading ? heading.textContent.trim() : "Table");
    box.setAttribute("tabindex", "0");
    box.classList.add("sar-table");
    return box;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-table]"), enhance);
  Array.prototype.forEach.call(document.querySelectorAll("div.sar-table"), cue);
  Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
    if (!box.closest(".sar-table")) {
      cue(region(box));
    }
  });
})();
