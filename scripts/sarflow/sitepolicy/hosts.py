"""Whether an address makes a browser (or MkDocs) fetch something from another host."""

from __future__ import annotations

import re

# `//host`, `https://host` or any scheme with a host, `https:host` (read as https://host/), and
# `\\host`, which browsers read as `//host`. data: and blob: addresses stay in the page.
_OTHER_HOST = re.compile(r"(?i)^\s*(?:(?:[a-z][a-z0-9+.-]*:)?[\\/]{2}|(?:https?|wss?|ftp):)")


def elsewhere(address: str) -> bool:
    return bool(_OTHER_HOST.match(address))
