"""Word documents, whichever output makes them: pandoc's runs (sandboxed and bounded), the parts of a .docx, and
the house reference document that styles every one.

The IMR report (sarflow.docx), the redline of a change (sarflow.changes) and the board's annual
report (sarflow.annual) each build on these, and none of them imports another: what they share
lives here.
"""
