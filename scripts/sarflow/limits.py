"""How much of the machine one input of the review may take: the limits, in one place.

A file of the review, a picture, one run of pandoc and one version of a file in the git
history are each bounded, so that a careless paste or a hostile file ends in an error
that names the file, not in a build that takes all the memory or never ends. Each
limit is far above what a real IMR needs (the figures beside each say why). A workbook
an agency returns comes from outside the review and has limits of its own, in
`sarflow.imports.guard`.

The board's administrator can change a limit for one run with an environment variable,
`SARFLOW_LIMIT_<NAME>` (a whole number in the limit's unit, e.g.
`SARFLOW_LIMIT_PANDOC_MEMORY_MB=2048`); the tests lower them to reach a limit cheaply.
A limit is read when it is used, never copied: every part asks this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sarflow.errors import UsageError

PREFIX = "SARFLOW_LIMIT_"
MB = 1024 * 1024


class LimitSettingError(UsageError):
    """An environment variable sets a limit to something that is not a positive whole number."""


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    unit: str

    @property
    def variable(self) -> str:
        return f"{PREFIX}{self.name}"

    def __call__(self) -> int:
        """The limit in force: the environment's, or the default."""
        setting = os.environ.get(self.variable, "").strip()
        if not setting:
            return self.default
        if not setting.isdigit() or int(setting) < 1:
            raise LimitSettingError(f"{self.variable}={setting!r} is not a limit: give a whole number of {self.unit}")
        return int(setting)

    def shown(self) -> str:
        """The limit in force as a reader would say it: '2 MB', '120 seconds'."""
        return f"{self()} {self.unit}"


# Any one file sarflow reads: the worked example's largest is about 30 kB, and a
# 200-page narrative is under 1 MB. Also the largest version of a file the status
# history reads from git.
FILE_MB = Limit("FILE_MB", 2, "MB")
# One run of pandoc. The heap (GHC's -M): reading a 2 MB section of ordinary prose, the
# largest the loader takes, needs under 256 MB and writing its report under 256 MB too
# (measured); 1 GB keeps two runs side by side within a 7 GB CI runner.
PANDOC_MEMORY_MB = Limit("PANDOC_MEMORY_MB", 1024, "MB")
# Reading or writing that 2 MB section takes about 5 s of processor time each; an
# example IMR under half a second.
PANDOC_SECONDS = Limit("PANDOC_SECONDS", 120, "seconds")
# The sections of one IMR as pandoc's document tree (JSON) that sarflow then holds in
# memory, about 18 bytes for each byte of it: a 2 MB section of prose is 14 MB.
PANDOC_TEXT_MB = Limit("PANDOC_TEXT_MB", 32, "MB")
# One picture: a photograph from a phone is 2 to 5 MB.
PICTURE_MB = Limit("PICTURE_MB", 10, "MB")
# One picture's size in pixels, which Word and LibreOffice hold uncompressed (4 bytes a
# pixel) to show it: a 48-megapixel phone camera's photograph passes.
PICTURE_MEGAPIXELS = Limit("PICTURE_MEGAPIXELS", 50, "million pixels")
# All the pictures of one report, each counted every time it is shown: each is carried
# to pandoc inside the document, so this is what it costs in memory.
PICTURES_MB = Limit("PICTURES_MB", 25, "MB")

LIMITS = (FILE_MB, PANDOC_MEMORY_MB, PANDOC_SECONDS, PANDOC_TEXT_MB, PICTURE_MB, PICTURE_MEGAPIXELS, PICTURES_MB)


def check_settings() -> None:
    """Refuse, before any work starts, a limit set in the environment to something that is not one."""
    for limit in LIMITS:
        limit()
