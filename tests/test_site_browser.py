"""The built status site in Debian's chromium (headless, through Playwright), as each engine builds it.

Every test runs twice: on the site Material for MkDocs builds and on the one Zensical
builds (board.yml's `site: {engine}`; conftest's `built_site` builds each once). The
example's site is served from that temporary build by Python's http.server on
127.0.0.1, and its pages are found by crawling it from the home page (every page
the build wrote must be reachable). Every request the browser makes is recorded and
must stay on that server; any console error fails; axe runs every one of its rules
(best practice included) on every page, and on the search with results showing, and
any violation fails. The keyboard is tried at 1280 px, at 640 px (1280 px at 200%
zoom) and at 390 px (a phone): every tab stop must be on the screen and not hidden
behind anything, and the menu must open from the keyboard; every control with text keeps
4.5:1 contrast while it has the focus (axe judges only the page as loaded). At 320 px no page
scrolls sideways; a table wider than that scrolls in its own box, which says so.
The Actions table is sorted and filtered by clicking, and read again with JavaScript
off. Printed (A4 landscape), every page keeps all its columns and none of its
controls, and the PDF of the Actions page holds every overdue action's target date,
status and days overdue. Screenshots and that PDF go to build/screenshots/<engine>/.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from helpers import ENGINES, BuiltSite
from sarflow.dates import today, uk
from sarflow.model import Repository

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"  # one folder per engine
# Every test runs on each engine board.yml's `site: {engine}` can choose (helpers.ENGINES says
# where their sites differ).
# A desktop, the same desktop at 200% zoom (half as many CSS pixels), and a phone.
WIDTHS = {"desktop": (1280, 1), "zoom-200": (640, 2), "phone": (390, 3)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # `format`: the base class's name
        pass


@dataclass(frozen=True)
class Served:
    url: str
    folder: Path
    engine: str  # board.yml's `site: {engine}` it was built with


@pytest.fixture(scope="session")
def built(built_site: BuiltSite) -> Iterator[Served]:
    """The example's site as each engine builds it (conftest's `built_site`), served over HTTP."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(built_site.folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Served(f"http://127.0.0.1:{httpd.server_port}/", built_site.folder, built_site.engine)
    httpd.shutdown()
    thread.join()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.fixture(scope="session")
def site_pages(built: Served) -> list[str]:
    """Every page of the built site, by following its links from the home page (paths from the site's root).

    Every HTML file the build wrote must be found so (404.html, which nothing links to, aside),
    so that a new page is audited the day it appears.
    """
    found, queue = [""], [""]
    while queue:
        path = queue.pop()
        with urllib.request.urlopen(built.url + path) as response:
            if "html" not in response.headers.get("Content-Type", ""):
                continue
            parser = Links()
            parser.feed(response.read().decode("utf-8"))
        for href in parser.hrefs:
            target = urldefrag(urljoin(built.url + path, href)).url
            if not target.startswith(built.url):
                continue
            inside = target[len(built.url):]
            if (inside.endswith("/") or inside == "") and inside not in found:
                found.append(inside)
                queue.append(inside)
    written = {p.relative_to(built.folder).parent.as_posix() + "/" for p in built.folder.rglob("index.html")}
    written = {"" if w == "./" else w for w in written}
    assert written - set(found) == set(), "pages no link leads to"
    return [*sorted(found), "404.html"]


class Visit:
    """A browser page that records every request and every console error."""

    def __init__(self, browser: Browser, built: Served, javascript: bool = True, width: int = 1366,
                 scale: int = 1) -> None:
        self.server = built.url
        self.shots = SCREENSHOTS / built.engine
        self.shots.mkdir(parents=True, exist_ok=True)
        self.context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=scale,
                                           java_script_enabled=javascript, reduced_motion="reduce")
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str, settled: bool = False) -> Page:
        """The page once loaded, its scripts run; `settled`: once the network has also been quiet for
        half a second (every request the page makes, the search index's included, has been made)."""
        response = self.page.goto(self.server + path, wait_until="networkidle" if settled else "load")
        assert response is not None and (response.ok or path == "404.html"), path
        return self.page

    def screenshot(self, name: str) -> None:
        self.page.wait_for_timeout(500)  # let the theme's tabs finish appearing before the picture
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def close(self) -> None:
        local = urlsplit(self.server).netloc
        outside = [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != local]
        self.context.close()
        assert outside == [], f"requests left the local server: {outside}"
        assert self.errors == [], f"console errors: {self.errors}"


def violations(page: Page) -> list[str]:
    """Whatever axe finds with all its rules (WCAG 2.2 A and AA, best practice), of any impact."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def screenshot_name(path: str) -> str:
    return path.strip("/").replace("/", "-").removesuffix(".html") or "home"


def test_every_page_stays_local_has_no_console_error_and_no_axe_violation(
    browser: Browser, built: Served, site_pages: list[str]
) -> None:
    visit = Visit(browser, built)
    problems = {}
    for path in site_pages:
        page = visit.open(path, settled=True)
        assert page.locator("h1").first.is_visible()
        problems[path] = violations(page)
        visit.screenshot(screenshot_name(path))
    visit.close()
    assert len(site_pages) >= 8
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_search_and_its_results_meet_axe_too(browser: Browser, built: Served, width: str) -> None:
    pixels, scale = WIDTHS[width]
    visit = Visit(browser, built, width=pixels, scale=scale)
    page = visit.open("", settled=True)
    opener = page.get_by_role("button", name="Search").locator("visible=true")
    if opener.count():  # Zensical, and Material on narrow screens: the search opens from a button
        opener.first.focus()
        page.keyboard.press("Enter")
    else:
        page.get_by_role("textbox", name="Search").focus()
    page.keyboard.type("action")
    page.locator(ENGINES[built.engine].search_result).first.wait_for()
    page.wait_for_timeout(300)  # the results finish appearing
    assert violations(page) == []
    visit.screenshot(f"search-{width}")
    visit.close()


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  // The middle of the part of it inside the window (a tall table is taller than the window).
  const x = (Math.max(r.left, 0) + Math.min(r.right, innerWidth)) / 2;
  const y = (Math.max(r.top, 0) + Math.min(r.bottom, innerHeight)) / 2;
  const hit = document.elementFromPoint(x, y);
  return {
    what: `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 40)}"`,
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight
      && r.left < innerWidth && style.visibility === 'visible',
    covered: !(hit && (hit === e || e.contains(hit) || hit.contains(e))),
  };
}"""


def tab_stops(page: Page, most: int = 200) -> list[dict[str, object]]:
    """Each element the Tab key reaches, from the top of the page until focus leaves it."""
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0] and len(stops) > 1):
            break
        stops.append(stop)
    return stops


# Each control with text, given the keyboard's focus, against what is behind it (colours with
# transparency laid over what lies under them, down to the page's white). Transitions are
# switched off first, so that the colour read is the one the focus ends on.
FOCUSED_CONTRAST = """() => {
  const still = document.createElement('style');
  still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.append(still);
  const parts = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat([1]);
  const behind = e => {
    const layers = [];
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const bg = parts(getComputedStyle(n).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const luminance = c => c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const low = [];
  for (const e of document.querySelectorAll('a[href], button, summary, [tabindex="0"]')) {
    const text = (e.innerText || '').trim();
    const box = e.getBoundingClientRect();
    if (!text || !box.width || !box.height || getComputedStyle(e).visibility !== 'visible') continue;
    e.focus();
    if (document.activeElement !== e) continue;
    const bg = behind(e), fg = over(parts(getComputedStyle(e).color), bg);
    const [a, b] = [luminance(fg), luminance(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(`${e.tagName.toLowerCase()} "${text.slice(0, 40)}": ${ratio.toFixed(2)}:1`);
    e.blur();
  }
  still.remove();
  return low;
}"""


def test_every_control_keeps_its_contrast_while_it_has_the_focus(
    browser: Browser, built: Served, site_pages: list[str]
) -> None:
    """axe judges the page as it is loaded; a link that changes colour under the focus (and the
    pointer: the themes give both the same colour) is judged here."""
    visit = Visit(browser, built, width=WIDTHS["desktop"][0], scale=1)
    low = {path: found for path in site_pages if (found := visit.open(path).evaluate(FOCUSED_CONTRAST))}
    visit.close()
    assert low == {}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_tab_stop_is_on_the_screen_and_not_hidden(
    browser: Browser, built: Served, site_pages: list[str], width: str
) -> None:
    pixels, scale = WIDTHS[width]
    visit = Visit(browser, built, width=pixels, scale=scale)
    hidden = {}
    for path in site_pages:
        page = visit.open(path)
        if path in ("", "actions/"):
            visit.screenshot(f"{screenshot_name(path)}-{width}")
        stops = tab_stops(page)
        assert len(stops) >= 2, path  # the 404 page has only the menu and the search
        hidden[path] = [f"stop {n}: {s['what']}" + (" off the screen" if not s["onScreen"] else " covered")
                        for n, s in enumerate(stops, start=1) if not s["onScreen"] or s["covered"]]
    visit.close()
    assert {k: v for k, v in hidden.items() if v} == {}


@pytest.mark.parametrize("width", ["zoom-200", "phone"])
def test_the_menu_opens_and_closes_from_the_keyboard(browser: Browser, built: Served, width: str) -> None:
    pixels, scale = WIDTHS[width]
    visit = Visit(browser, built, width=pixels, scale=scale)
    page = visit.open("actions/")
    focus_by_tabbing(page, "button", "Menu")
    menu = page.get_by_role("button", name="Menu", exact=True)
    assert menu.get_attribute("aria-expanded") == "false" and page.evaluate(FOCUSED)["onScreen"]
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)  # the drawer slides in
    assert menu.get_attribute("aria-expanded") == "true"
    links = []
    for _ in range(20):  # the Tab key stays in the open menu: the page behind it takes no focus
        stop = page.evaluate(FOCUSED)
        if stop is None or (links and stop["what"] == links[0]):
            break
        assert stop["onScreen"] and not stop["covered"], stop
        links.append(stop["what"])
        page.keyboard.press("Tab")
    assert any('"Reviews"' in link for link in links) and any('"Agencies"' in link for link in links), links
    assert not any("select" in link for link in links), links
    page.screenshot(path=str(visit.shots / f"menu-open-{width}.png"))
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    page.get_by_role("link", name="Reviews", exact=True).first.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reviews/")
    visit.close()


def test_no_page_scrolls_sideways_at_320_px_and_wide_tables_say_they_scroll(
    browser: Browser, built: Served, site_pages: list[str]
) -> None:
    visit = Visit(browser, built, width=320, scale=2)
    wide, scrolling = {}, {}
    for path in site_pages:
        page = visit.open(path)
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            wide[path] = width
        boxes = page.locator("div.sar-table")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            if box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
                cue = box.evaluate("b => b.previousElementSibling && b.previousElementSibling.matches('.sar-scroll-cue')"
                                   " && !b.previousElementSibling.hidden")
                named = box.get_attribute("role") == "region" and bool(box.get_attribute("aria-label"))
                scrolling[f"{path} {box.get_attribute('aria-label')}"] = (
                    cue and named and box.get_attribute("tabindex") == "0")
    visit.open("actions/")
    visit.screenshot("actions-320")
    visit.close()
    assert wide == {}
    assert scrolling and all(scrolling.values()), scrolling


def actions_rows(page: Page) -> list[dict[str, str]]:
    """The visible rows of the Actions table: heading -> (data-sort or data-value or text) of each cell."""
    return page.evaluate(
        """() => {
          const table = document.querySelector('table[data-table="actions"]');
          const heads = Array.from(table.tHead.rows[0].cells).map(th => th.textContent.trim());
          return Array.from(table.tBodies[0].rows).filter(row => !row.hidden).map(row => {
            const out = {};
            Array.from(row.cells).forEach((cell, i) => {
              out[heads[i]] = cell.dataset.sort ?? cell.dataset.value ?? cell.textContent.trim();
              out[heads[i] + ":value"] = cell.dataset.value ?? cell.textContent.trim();
            });
            return out;
          });
        }"""
    )


def choose(page: Page, label: str, value: str) -> None:
    page.locator("form.sar-filters label", has=page.get_by_text(label, exact=True)).locator("select").select_option(value)


def test_the_actions_table_sorts_and_filters_by_clicking(browser: Browser, built: Served, example: Repository) -> None:
    on = today()
    everything = [(review, imr, a) for review in example.reviews for imr in review.imrs.values() for a in imr.actions]
    visit = Visit(browser, built)
    page = visit.open("actions/")
    assert len(actions_rows(page)) == len(everything)

    heading = page.locator('table[data-table="actions"] th', has=page.get_by_role("button", name="Target date"))
    page.get_by_role("button", name="Target date").click()
    dates = [r["Target date"] for r in actions_rows(page)]
    assert dates == sorted(dates) and heading.get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Target date").click()
    assert [r["Target date"] for r in actions_rows(page)] == sorted(dates, reverse=True)
    assert heading.get_attribute("aria-sort") == "descending"
    page.get_by_role("button", name="No", exact=True).click()
    numbers = [int(r["No"]) for r in actions_rows(page)]
    assert numbers == sorted(numbers)
    visit.screenshot("actions-sorted")

    review, imr, _ = everything[0]
    agency = review.agency(imr.agency_id).name
    choose(page, "Agency", agency)
    rows = actions_rows(page)
    of_agency = sum(r.agency_name(i.agency_id) == agency for r, i, _ in everything)  # in every review
    assert {r["Agency:value"] for r in rows} == {agency} and len(rows) == of_agency
    assert page.get_by_role("status").first.inner_text() == f"Showing {len(rows)} of {len(everything)} actions."

    choose(page, "Agency", "")
    choose(page, "Days overdue", "Overdue")
    overdue = [a for _, _, a in everything if a.is_overdue(on, example.template.action_plan.completed)]
    rows = actions_rows(page)
    assert len(rows) == len(overdue) and all(int(r["Days overdue"]) > 0 for r in rows)
    visit.screenshot("actions-filtered-overdue")

    choose(page, "Days overdue", "")
    status = everything[0][2].status
    choose(page, "Status", status)
    assert len(actions_rows(page)) == sum(a.status == status for _, _, a in everything)

    page.get_by_role("button", name="Show all").click()
    page.wait_for_function("document.querySelector('.sar-filter-count').textContent.startsWith('Showing " +
                           f"{len(everything)} ')")
    assert len(actions_rows(page)) == len(everything)
    visit.close()


def test_with_javascript_off_the_tables_are_all_there(browser: Browser, built: Served, example: Repository) -> None:
    total = sum(len(imr.actions) for imr in example.imrs())
    visit = Visit(browser, built, javascript=False)
    page = visit.open("actions/")
    rows = page.locator('table[data-table="actions"] tbody tr')
    assert rows.count() == total and all(rows.nth(i).is_visible() for i in range(total))
    assert page.locator("form.sar-filters").count() == 0
    visit.screenshot("actions-no-javascript")
    page = visit.open("")
    assert page.locator("table").count() >= 3 and page.locator("div.sar-chart[role=img]").count() == 3
    review = example.reviews[0]
    page = visit.open(f"reviews/{review.id}/")
    assert page.locator("progress").count() == len(review.imrs)
    visit.close()


# Where the skip link went: the page's heading (Material's link names it), or a mark just before it
# with nothing to read in between (Zensical's), inside the content.
SKIPPED_TO = """() => {
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const heading = document.querySelector('h1');
  if (!target || !target.closest('.md-content')) return false;
  if (target === heading) return true;
  const between = document.createRange();
  between.setStartAfter(target);
  between.setEndBefore(heading);
  return (target.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
    && between.toString().trim() === '';
}"""


def test_each_page_is_british_english_titled_in_heading_order_with_a_skip_link(
    browser: Browser, built: Served, example: Repository, site_pages: list[str]
) -> None:
    visit = Visit(browser, built)
    titles = []
    for path in site_pages:
        if path == "404.html":
            continue
        page = visit.open(path)
        assert page.evaluate("document.documentElement.lang") == "en-GB", path
        titles.append(page.title())
        levels = page.evaluate("Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => +h.tagName[1])")
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        assert all(after - before <= 1 for before, after in itertools.pairwise(levels)), (path, levels)
        page.keyboard.press("Tab")  # the first stop is the skip link, shown when it has focus
        focused = page.locator(":focus")
        assert focused.inner_text().strip() == "Skip to content" and focused.is_visible(), path
        page.keyboard.press("Enter")
        assert page.evaluate(SKIPPED_TO), path
    visit.close()
    assert all(t.endswith(f" - {example.board.name}") for t in titles) and len(set(titles)) == len(titles), titles


def focus_by_tabbing(page: Page, role: str, name: str) -> None:
    """Press Tab until the control with this role and name has focus, as a keyboard user would."""
    target = page.get_by_role(role, name=name, exact=True)
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"the {role} {name!r} cannot be reached with the Tab key")


def test_the_actions_table_works_from_the_keyboard_and_says_what_it_did(
    browser: Browser, built: Served, example: Repository
) -> None:
    everything = [a for imr in example.imrs() for a in imr.actions]
    visit = Visit(browser, built)
    page = visit.open("actions/")
    count = page.locator("p.sar-filter-count[role=status]")
    order = page.locator('div.sar-table:has(table[data-table="actions"]) > p[role=status]')
    heading = page.locator('table[data-table="actions"] th', has=page.get_by_role("button", name="Target date"))

    focus_by_tabbing(page, "button", "Target date")
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    outline = page.evaluate("(s => [s.outlineStyle, parseFloat(s.outlineWidth)])(getComputedStyle(document.activeElement))")
    assert outline[0] != "none" and outline[1] >= 2
    page.keyboard.press("Enter")
    assert heading.get_attribute("aria-sort") == "ascending"
    assert order.inner_text() == "Sorted by Target date, ascending."
    page.keyboard.press("Space")
    assert heading.get_attribute("aria-sort") == "descending"
    assert order.inner_text() == "Sorted by Target date, descending."
    assert count.inner_text() == f"Showing {len(everything)} of {len(everything)} actions."

    statuses = sorted({a.status for a in everything})
    page.get_by_role("combobox", name="Status", exact=True).focus()
    page.keyboard.press("ArrowDown")  # from "All" to the first status
    shown = sum(a.status == statuses[0] for a in everything)
    assert count.inner_text() == f"Showing {shown} of {len(everything)} actions."
    assert len(actions_rows(page)) == shown
    visit.close()


# A4 landscape inside the print style sheet's 12 mm margins, in CSS pixels (96 to the inch).
PRINTED_WIDTH = round((297 - 2 * 12) / 25.4 * 96)


def test_every_page_prints_on_landscape_a4_with_all_its_columns_and_no_controls(
    browser: Browser, built: Served, site_pages: list[str]
) -> None:
    visit = Visit(browser, built, width=PRINTED_WIDTH)
    visit.page.emulate_media(media="print")
    cut, controls = {}, {}
    for path in site_pages:
        page = visit.open(path)
        # (the padding round a piece of inline code may reach a few pixels into the margin; its text wraps)
        wide = page.evaluate("""() => [document.documentElement.scrollWidth > document.documentElement.clientWidth + 8,
            ...Array.from(document.querySelectorAll('div.sar-table')).map(b => b.scrollWidth > b.clientWidth + 1)]""")
        if any(wide):
            cut[path] = wide
        shown = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.md-header, .md-tabs, .md-search, form.sar-filters, .sar-scroll-cue, .md-top'))
            .filter(e => e.getClientRects().length > 0).map(e => e.className)""")
        if shown:
            controls[path] = shown
    visit.close()
    assert cut == {} and controls == {}


def test_the_printed_actions_page_holds_every_overdue_actions_date_status_and_days(
    browser: Browser, built: Served, example: Repository
) -> None:
    on, done = today(), example.template.action_plan.completed
    overdue = [a for imr in example.imrs() for a in imr.actions if a.is_overdue(on, done)]
    assert overdue, "the example should have an overdue action to print"
    visit = Visit(browser, built)
    page = visit.open("actions/")
    pdf = visit.shots / "actions.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    visit.close()
    printed = PdfReader(pdf).pages
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in printed)  # landscape
    assert round(float(printed[0].mediabox.width)) in (841, 842) and round(float(printed[0].mediabox.height)) == 595
    text = " ".join(" ".join(p.extract_text() for p in printed).split())
    for action in overdue:
        days = (on - action.target_date).days
        assert uk(action.target_date) in text and action.status in text, action.no
        assert f"{days} day{'' if days == 1 else 's'}" in text, action.no
    assert "Show all" not in text and "\u2195" not in text and "scroll it sideways" not in text
