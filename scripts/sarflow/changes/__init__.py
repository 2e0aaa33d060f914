"""What changed in the review files between two git revisions, for the panel.

`revisions` reads a revision into a loaded repository, `compare` turns two of them
into a change list (`model`), and `render` prints it as Markdown or JSON. The same
reading serves `sarflow redline`, which shows an IMR's changes as tracked changes in
Word.
"""
