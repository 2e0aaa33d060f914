"""Where things sit in the workbooks sarflow writes, shared by the builders and the import.

The template fixes the sheet names, the column titles and their order, the "Todays
date" label and the status values (read from `repo.template`). What the template
leaves open is decided here once: the "Todays date" cell in row 1, the column titles
in row 3, and the extra sheets that carry what the template's columns cannot (a
status summary and the progress updates), so that the Actions sheet keeps exactly
the template's columns in the template's order.
"""

from __future__ import annotations

ACTION_PLAN_FILE = "Action Plan.xlsx"
CHRONOLOGY_FILE = "Chronology.xlsx"

# The Actions sheet: "Todays date" in A1 with =TODAY() beside it, titles in row 3.
TODAY_ROW = 1
# Row 2: how to sort the protected sheet (see `sarflow.xlsx.printing`).
NOTE_ROW = 2
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
# Empty rows, already numbered by nothing but carrying the drop-down and the formulas,
# so that an agency can add an action in Excel and the import picks it up.
SPARE_ROWS = 10

SUMMARY_SHEET = "Summary"
SUMMARY_TITLES = ("Status", "Actions")
OVERDUE = "Overdue"
TOTAL = "Total"

UPDATES_SHEET = "Updates"
UPDATE_DATE = "Date of update"
UPDATE_TEXT = "Update"

CHRONOLOGY_SHEET = "Chronology"

# The review's combined plan leads with each action's reference across the review (ASC-3,
# see `Review.action_reference`) and its agency, both kept in view while scrolling sideways;
# the merged chronology leads with the agency and keeps it and the date in view.
REFERENCE_TITLE = "Reference"

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
