"""Bringing work done outside the repository back in: an agency's returned Action Plan, its chronology.

`guard` refuses a file larger, denser or stranger than any action plan, chronology or IMR before
anything parses it (zip bombs, XML bombs and entities, sheets of millions of cells);
`sheets` then reads it once, in openpyxl's read-only mode, into plain cells;
`workbook` validates the returned rows (header found by the template's titles, every
row checked, every problem named by workbook, sheet and cell); `changes` compares
them with actions.yml, shows the difference and rewrites the file with ruamel.yaml so
that the authors' comments and layout survive. A chronology workbook is read by
`chronology` (its header found by the template's chronology columns) and compared with
chronology.yml by `entries`; `trial` runs every check on the result of either before
it is written. Nothing is written while any problem remains.
"""
