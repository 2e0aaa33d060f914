"""The built status site in Debian's chromium (headless, through Playwright).

The example's site is served from a temporary build by Python's http.server on
127.0.0.1. Every request the browser makes is recorded and must stay on that server;
any console error fails; axe checks each page against WCAG 2.2 AA and fails on
serious or critical problems. The Actions table is sorted and filtered by clicking,
and read again with JavaScript off. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from sarflow.cli import main
from sarflow.dates import today
from sarflow.model import Repository

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # `format`: the base class's name
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site-build")
    assert main(["--root", str(ROOT), "build", "--only", "site", "--out", str(out)]) == 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out / "site")))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (installs Debian's chromium) and test again")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A browser page that records every request and every console error."""

    def __init__(self, browser: Browser, server: str, javascript: bool = True) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript,
                                           reduced_motion="reduce")
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Page:
        response = self.page.goto(self.server + path, wait_until="networkidle")
        assert response is not None and response.ok, path
        return self.page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(500)  # let Material's tabs finish appearing before the picture
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        local = urlsplit(self.server).netloc
        outside = [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != local]
        self.context.close()
        assert outside == [], f"requests left the local server: {outside}"
        assert self.errors == [], f"console errors: {self.errors}"


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


def pages(example: Repository) -> dict[str, str]:
    review = example.reviews[0]
    agency = next(a for a in review.agencies if a.id in review.imrs and review.imrs[a.id].actions)
    return {
        "home": "",
        "reviews": "reviews/",
        "review": f"reviews/{review.id}/",
        "actions": "actions/",
        "agencies": "agencies/",
        "agency": f"agencies/{agency.id}/",
        "help": "help/",
        "recommendations": "recommendations/",
        "review's recommendations": f"recommendations/{next(r.id for r in example.reviews if r.recommendations)}/",
        "learning": "learning/",
    }


def test_every_page_stays_local_has_no_console_error_and_meets_wcag_22_aa(
    browser: Browser, server: str, example: Repository
) -> None:
    visit = Visit(browser, server)
    problems = {}
    for name, path in pages(example).items():
        page = visit.open(path)
        assert page.locator("h1").first.is_visible()
        problems[name] = serious_violations(page)
        visit.screenshot(name)
    visit.close()
    assert {k: v for k, v in problems.items() if v} == {}


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


def test_the_actions_table_sorts_and_filters_by_clicking(browser: Browser, server: str, example: Repository) -> None:
    on = today()
    everything = [(review, imr, a) for review in example.reviews for imr in review.imrs.values() for a in imr.actions]
    visit = Visit(browser, server)
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
    assert {r["Agency:value"] for r in rows} == {agency} and len(rows) == len(imr.actions)
    assert page.get_by_role("status").first.inner_text() == f"Showing {len(rows)} of {len(everything)} actions."

    choose(page, "Agency", "")
    choose(page, "Overdue", "Overdue")
    overdue = [a for _, _, a in everything if a.is_overdue(on, example.template.action_plan.completed)]
    rows = actions_rows(page)
    assert len(rows) == len(overdue) and all(int(r["Overdue"]) > 0 for r in rows)
    visit.screenshot("actions-filtered-overdue")

    choose(page, "Overdue", "")
    status = everything[0][2].status
    choose(page, "Status", status)
    assert len(actions_rows(page)) == sum(a.status == status for _, _, a in everything)

    page.get_by_role("button", name="Show all").click()
    page.wait_for_function("document.querySelector('.sar-filter-count').textContent.startsWith('Showing " +
                           f"{len(everything)} ')")
    assert len(actions_rows(page)) == len(everything)
    visit.close()


def test_with_javascript_off_the_tables_are_all_there(browser: Browser, server: str, example: Repository) -> None:
    total = sum(len(imr.actions) for imr in example.imrs())
    visit = Visit(browser, server, javascript=False)
    page = visit.open("actions/")
    rows = page.locator('table[data-table="actions"] tbody tr')
    assert rows.count() == total and all(rows.nth(i).is_visible() for i in range(total))
    assert page.locator("form.sar-filters").count() == 0
    visit.screenshot("actions-no-javascript")
    page = visit.open("")
    assert page.locator("table").count() >= 3 and page.locator("svg.sar-chart").count() == 2
    review = example.reviews[0]
    page = visit.open(f"reviews/{review.id}/")
    assert page.locator("progress").count() == len(review.imrs)
    visit.close()


def test_each_page_is_british_english_titled_in_heading_order_with_a_skip_link(
    browser: Browser, server: str, example: Repository
) -> None:
    visit = Visit(browser, server)
    titles = []
    for path in pages(example).values():
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
        assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == page.locator("h1").get_attribute("id")
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
    browser: Browser, server: str, example: Repository
) -> None:
    everything = [a for imr in example.imrs() for a in imr.actions]
    visit = Visit(browser, server)
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
