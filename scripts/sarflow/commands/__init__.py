"""One module per command (see sarflow.cli); what they share lives here."""

from __future__ import annotations

import argparse
from pathlib import Path

from sarflow.load import find_root


def repository_root(args: argparse.Namespace) -> Path:
    """The review repository: --root if given, else found from the current folder."""
    return args.root.resolve() if args.root else find_root(Path.cwd())
