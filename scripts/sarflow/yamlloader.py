"""The PyYAML loader sarflow reads with: the C one, ten times faster over a board's files.

Kept in one place so that every reader (the loader's syntax pass, the site's history, the
Word report's version table) parses YAML alike. PyYAML built without libyaml has only the
pure-Python loader, which reads the same.
"""

from __future__ import annotations

import yaml

LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
