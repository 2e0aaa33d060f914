"""The IMR report's own words, beside the author's: what `sarflow import imr` must know to read a
report back.

A report prints "Not yet written." for a section with no text, heads the glossary's table
"Abbreviation" and "Meaning", and fills the template's texts with the adult's and the
board's names. An IMR written in the Word template and imported comes back with these in
it, and the import must tell them from what the author wrote, so both sides read them
here (an import reading the report's own module would be one output depending on another).
"""

from __future__ import annotations

from sarflow.model import Board, Review

NOT_WRITTEN = "Not yet written."
ABBREVIATION_HEAD = ("Abbreviation", "Meaning")


def fill(value: str, review: Review, board: Board | None) -> str:
    """A template text with {subject}, {board} and {board_short} filled in, as every report prints it."""
    subject = review.subject.name if review.subject and review.subject.name else "the adult"
    name = board.name if board and board.name else "the Safeguarding Adults Board"
    short = board.short_name if board and board.short_name else name
    return value.replace("{subject}", subject).replace("{board_short}", short).replace("{board}", name)
