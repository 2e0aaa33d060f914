"""Word documents, whichever output makes them: pandoc's runs (sandboxed and bounded), the pandoc AST
nodes they are built from, the parts of a .docx, the house reference document that styles every one,
the contents page and the finishing step (marking, version, header rows that repeat, properties).

The IMR report (sarflow.docx), the redline of a change (sarflow.changes), the board paper
(sarflow.paper) and the board's annual report (sarflow.annual, through sarflow.word.document) each
build on these, and none of them imports another: what they share lives here.
"""
