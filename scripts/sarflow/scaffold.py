"""The example text `sarflow new` writes for an author to replace, kept in one place.

The scaffold writes it into a new review.yml, and check reports any of it still there
(placeholder), so that a review fresh from the scaffold does not check clean. Each text
is worded as an instruction, so that it cannot be mistaken for a real value.
"""

from __future__ import annotations

SUBJECT_NAME = "Write the anonymised name, e.g. Adult B"
REFERRAL_SOURCE = "Write who made the referral"
REFERRAL_SUMMARY = "Summarise what the referral said."
SCOPE = "Paste section 6 of the terms of reference here."
FIRST_QUESTION = "Write the first question the agencies must answer."

EXAMPLE_TEXTS = frozenset({SUBJECT_NAME, REFERRAL_SOURCE, REFERRAL_SUMMARY, SCOPE, FIRST_QUESTION})
