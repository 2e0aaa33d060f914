"""Preview the board's status site while you edit the review files.

Builds the site's pages into build/site-src and serves them at http://127.0.0.1:8000
(this computer only), with the engine reviews/board.yml chooses (`site: {engine}`:
`mkdocs serve` for Material, `zensical serve` for Zensical). Whenever a file under
reviews/, site/ or schema/, or mkdocs.yml, is saved, the pages are written again and the
browser reloads. A change of engine in board.yml takes effect when the preview is started
again. Stop it with Ctrl+C.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sarflow.commands import repository_root
from sarflow.errors import UsageError
from sarflow.load import load
from sarflow.outputs import OutputError, output_folder
from sarflow.printed import say
from sarflow.site import STAGING, engine, prepare

WATCHED = ("reviews", "site", "schema", "mkdocs.yml")
POLL_SECONDS = 1.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default: 8000)")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    out = output_folder(args.out or root / "build")
    try:
        repo = load(root)
        chosen = repo.board.engine if repo.board else "material"
        config = engine.serve_config(prepare(repo, out), chosen)
    except (OutputError, OSError) as exc:
        raise UsageError(f"the site's pages could not be written: {exc}") from exc
    name = engine.NAMES[chosen]
    if not engine.installed(chosen):
        raise UsageError(f"{name}, which reviews/board.yml chooses to build the site (site: {{engine: {chosen}}}), is not "
                         "installed here: run `make .venv/.installed`, or choose the other engine in board.yml")
    stop = threading.Event()
    watcher = threading.Thread(target=_restage_on_change, args=(root, out, chosen, stop), daemon=True)
    watcher.start()
    say(f"sarflow serve: pages in {out / STAGING}, served by {name}; open http://127.0.0.1:{args.port}/ "
        "(Ctrl+C stops it)")
    signal.signal(signal.SIGTERM, _interrupt)
    server = subprocess.Popen(engine.serve_command(config, f"127.0.0.1:{args.port}", chosen),
                              env=engine.environment(), cwd=config.parent)
    try:
        if server.wait() == 0:
            return 0
        say(f"sarflow serve: {name} stopped with an error (its message is above); fix what it names, or "
            "preview with the other engine by setting `site: {engine: ...}` in reviews/board.yml", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()
        if server.poll() is None:
            server.terminate()
            server.wait()


def _interrupt(signum: int, frame: object) -> None:
    """Being asked to stop (SIGTERM) ends the preview as Ctrl+C does, stopping the engine's server too."""
    raise KeyboardInterrupt


def _restage_on_change(root: Path, out: Path, chosen: str, stop: threading.Event) -> None:
    """Write the pages again whenever a watched file changes; the engine then rebuilds what changed."""
    seen = _snapshot(root)
    while not stop.wait(POLL_SECONDS):
        now = _snapshot(root)
        if now == seen:
            continue
        seen = now
        try:
            engine.serve_config(prepare(load(root), output_folder(out)), chosen)
        except Exception as exc:  # noqa: BLE001 - a half-saved file must not stop the preview
            say(f"sarflow serve: the pages were not updated ({type(exc).__name__}: {exc}); "
                "they will be when the files can be read", file=sys.stderr)


def _snapshot(root: Path) -> dict[str, int]:
    """Each watched file's modification time, to notice a save."""
    found: dict[str, int] = {}
    for name in WATCHED:
        for path in [root / name, *(root / name).rglob("*")]:
            try:
                found[path.as_posix()] = path.stat().st_mtime_ns
            except OSError:
                continue
    return found
