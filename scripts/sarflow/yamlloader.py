"""The PyYAML loader every reader of a review file uses, so that a file means one thing to all.

PyYAML's C loader (ten times faster over a board's files; the pure-Python one where PyYAML
was built without libyaml), reading plain (unquoted) values as YAML 1.2 does, like the
editor. PyYAML follows YAML 1.1, in which an unquoted `14:30` is the number 870 (minutes,
in base 60) and `yes`, `no`, `on` and `off` are true and false. YAML 1.2 dropped both, and
VS Code's YAML extension (yaml-language-server) reads 1.2: an author who writes
`time: 14:30` or `relationship: no` sees no problem in the editor, so check must read the
value the editor shows. Here true and false (in their three spellings) are the only
booleans, integers are decimal (or 0o octal, 0x hexadecimal) and nothing is in base 60.
Dates written year-month-day are still read as dates, since every such value in a review
file is one (the editor reads them as text and checks them against the schema's form).
"""

from __future__ import annotations

import re

import yaml

try:
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

# The types YAML gives a value (its tags), each named here once for every reader of review files.
BOOL, INT, FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
STR, NULL, TIMESTAMP, MERGE = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
                               "tag:yaml.org,2002:merge")
SEQ, MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# The types an author may mark a value with (`!!str 0123`): YAML's own for text, numbers, dates, lists and mappings.
STANDARD_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, SEQ, MAP})

_CORE = [  # YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     "-+.0123456789"),
]


class LOADER(_Base):
    """PyYAML's safe loader, reading plain values as YAML 1.2 does (see the module's docstring)."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class attribute, copied once here and never changed after
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL, INT, FLOAT)]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


def integer(text: str) -> int:
    """The value of a plain integer as YAML 1.2 writes it (`010` is ten, not eight as in 1.1)."""
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


for _tag, _regexp, _first in _CORE:
    LOADER.add_implicit_resolver(_tag, _regexp, list(_first))


def _construct_integer(loader: LOADER, node: yaml.Node) -> int:
    return integer(str(node.value))


LOADER.add_constructor(INT, _construct_integer)

