"""Bringing work done outside the repository back in: an agency's returned Action Plan.

`workbook` reads and validates the returned .xlsx (header found by the template's
titles, every row checked, every problem named by workbook, sheet and cell);
`changes` compares it with actions.yml, shows the difference and rewrites the file
with ruamel.yaml so that the authors' comments and layout survive. Nothing is
written while any problem remains.
"""
