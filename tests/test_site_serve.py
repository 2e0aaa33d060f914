"""`sarflow serve`: the live preview reloads the open page when a review file is saved.

A copy of the example is served on a free port of 127.0.0.1 (nothing leaves the
machine), once with each engine board.yml can choose (MkDocs, Zensical). The Actions page is opened in Debian's chromium; an action's recommendation
is changed in actions.yml, and the page must show the new text by itself, with no
reload from the test (the engine's live reload); so must a change of colour in mkdocs.yml.
Then SIGTERM (as Ctrl+C) stops the
preview and the server with it.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from ruamel.yaml import YAML

from sarflow.load import load

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 60  # a bound for a slow machine, not a measure: the tests never time anything


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[1]
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"sarflow serve did not serve {url}")


def prefix_first_recommendation(actions: Path, prefix: str) -> None:
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(actions.read_text(encoding="utf-8"))
    data["actions"][0]["recommendation"] = prefix + data["actions"][0]["recommendation"]
    with actions.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def choose_engine(board: Path, engine: str) -> None:
    """Set board.yml's `site: {engine}`, as a board would."""
    yaml = YAML()
    data = yaml.load(board.read_text(encoding="utf-8"))
    data["site"] = {"engine": engine}
    with board.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@pytest.mark.parametrize("engine", ["material", "zensical"])
def test_saving_a_review_file_reloads_the_open_page(tmp_path: Path, engine: str, browser: Browser) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    choose_engine(tmp_path / "reviews" / "board.yml", engine)
    imr = max(load(tmp_path).imrs(), key=lambda i: len(i.actions))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sarflow", "--root", str(tmp_path), "serve", "--port", str(port),
         "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/actions/"
        wait_until_served(url, server)
        page = browser.new_page()
        page.goto(url)
        assert "Saved a moment ago" not in page.content()
        prefix_first_recommendation(imr.folder / "actions.yml", "Saved a moment ago. ")
        # document.body is null for a moment while the page reloads, hence `?.`
        page.wait_for_function("document.body?.textContent.includes('Saved a moment ago.')",
                               timeout=WAIT_SECONDS * 1000)
        config = tmp_path / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("primary: indigo", "primary: teal"),
                          encoding="utf-8")
        page.wait_for_function("document.body?.getAttribute('data-md-color-primary') === 'teal'",
                               timeout=WAIT_SECONDS * 1000)
        page.close()
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=WAIT_SECONDS)
    assert server.returncode == 0, err
    assert f"open http://127.0.0.1:{port}/" in out and f"served by {'Zensical' if engine == 'zensical' else 'MkDocs'}" in out
    assert not listening(port), "stopping sarflow serve stops the engine's server too"
