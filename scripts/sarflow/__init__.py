"""sarflow: Safeguarding Adults Reviews kept as code.

Data flows one way: files -> `load` (a typed model whose values remember where they
came from) -> `check` (findings) -> outputs (`docx`, `xlsx`, `site`) -> `build/`.
"""

__version__ = "0.1.0"
