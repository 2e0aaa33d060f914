"""`sarflow build --shard K/N`: which share of a board's documents one build makes.

A board too large for one CI runner splits its documents across a GitHub Actions matrix
of N jobs, job K building `--shard K/N`; the shares are disjoint and together make
every document an unsharded build makes, byte for byte. Each IMR's Word report goes
to the share its review and agency ids name, and all of a review's workbooks (each
IMR's and the review's own, which holds every agency) to the share its review id
names, so that no workbook is made twice.

A share is chosen by a stable hash of the ids (SHA-256, the same on every machine and
run), not by position in sorted order, so that adding a review moves no other
review's documents from one share to another; with many more IMRs than shards the
shares come out near-equal. The site is not sharded: it reads only the model, so it
is built once, by `sarflow build --only site`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sarflow.model import Imr

_FORM = re.compile(r"\s*([-+]?\d+)\s*/\s*([-+]?\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """The K-th (`number`, from 1) of `count` shares."""

    number: int
    count: int

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def takes(self, key: str) -> bool:
        """Whether the document named by `key` (a review id, or review/agency ids) falls in this share."""
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.number - 1

    def reports(self, imrs: list[Imr]) -> list[Imr]:
        """The IMRs whose Word reports this share makes, in the order given."""
        return [imr for imr in imrs if self.takes(f"{imr.review_id}/{imr.agency_id}")]

    def workbooks(self, imrs: list[Imr]) -> list[Imr]:
        """The IMRs whose workbooks this share makes: those of the reviews it takes, so that each
        review's own workbooks (every agency in one) are made by one share only."""
        return [imr for imr in imrs if self.takes(imr.review_id)]


def parse(text: str) -> Shard:
    """`K/N` as a Shard; a ValueError says what is wrong with it, in the user's words."""
    form = _FORM.fullmatch(text)
    if form is None:
        raise ValueError(f"{text!r} is not a share: write K/N, the K-th of N shares, e.g. --shard 1/4 for the "
                         "first of four")
    number, count = int(form[1]), int(form[2])
    if count < 1:
        raise ValueError(f"{text!r} splits the documents into {count} shares: N must be 1 or more, e.g. "
                         "--shard 1/4 for the first of four")
    if not 1 <= number <= count:
        raise ValueError(f"{text!r} asks for share {number} of {count}: K must be from 1 to {count} "
                         f"(--shard 1/{count} to --shard {count}/{count})")
    return Shard(number, count)
