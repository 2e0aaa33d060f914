"""The status tier as the board reads it: figures computed once from the model, for every board output.

The status site and the board paper both lay out these figures and nothing else, so
that a number is the same wherever a board member meets it, and neither output depends
on the other. Only status-tier fields are read, redacted by sarflow.restricted.
"""
