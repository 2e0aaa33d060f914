"""The change list as Markdown a panel member reads in a minute, or as JSON for tools.

Markdown goes into the pull request's job summary, so every piece of author text in
it is escaped (it cannot add HTML, images, links or emphasis of its own) and long lists are cut short with
a pointer to the JSON, which lists everything. Dates are UK style in Markdown and
ISO in JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from sarflow.changes.documents import OWN_FILES
from sarflow.changes.model import (
    Actions,
    Change,
    Chronology,
    DocumentChange,
    EntryRef,
    FileChange,
    ImrChanges,
    ReviewChanges,
    SignedOff,
    Summary,
    Value,
    WordChange,
)
from sarflow.changes.revisions import Revision
from sarflow.changes.sentences import marked
from sarflow.dates import uk
from sarflow.printed import escaped, line

LIMIT = 10
# Where sarflow's own code lives: a change there is listed, but its effect is not built both ways.
CODE = ("scripts/", "pyproject.toml")
# The JSON names its shape; the version goes up when a key is renamed or removed (not when one is added).
JSON_FORMAT, JSON_VERSION = "sarflow-diff", 1
TITLE = "## Changes to the review files"
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_WWW = re.compile(r"(?i)\b(www)\.")


def md(text: object) -> str:
    """Author text made inert in Markdown: one line, every special character escaped, and
    any control character left after the spaces are collapsed shown as an escape (sarflow.printed).
    Web and e-mail addresses are broken up too (a backslash before the slashes of https://, the
    dot of www. and an @), as GitHub would otherwise make them links."""
    inert = _SPECIAL.sub(r"\\\1", escaped(" ".join(str(text).split())))
    return _WWW.sub(r"\1\\.", inert.replace("://", r":\/\/").replace("@", r"\@"))


def shown(value: Value) -> str:
    if value is None or value == "" or value == []:
        return "not set"
    if isinstance(value, list):
        return md(", ".join(value))
    return uk(value) if isinstance(value, dt.date) else md(value)


def arrow(change: Change) -> str:
    return f"{md(change.field)}: {shown(change.old)} → {shown(change.new)}"


def revision(r: Revision) -> str:
    if r.commit is None:
        return r.short
    return f"`{r.short}`" if r.commit.startswith(r.label) else f"`{r.short}` ({md(r.label)})"


def markdown(summary: Summary, base: Revision, head: Revision, max_bytes: int | None = None) -> str:
    """The summary: signed-off IMRs changed first, then files changed outside reviews/ and the
    reports they change; with `max_bytes`, cut at a whole line to fit (GitHub shows at most
    1 MiB of a step's summary, and nothing at all of a longer one)."""
    lines = [TITLE, "", f"Comparing {revision(base)} with {revision(head)}.", "",
             *_notes(summary.notes), *_signed_off(summary.signed_off), *_outside(summary.outside, summary.documents),
             *_documents([d for d in summary.documents if not _by_outside(d)])]
    if not summary.reviews:
        lines.append("No changes to the review files.")
    for review in summary.reviews:
        lines += _review(review)
    text = "\n".join(line(part) for part in lines).rstrip() + "\n"
    return text if max_bytes is None else cut(text, max_bytes)


def _notes(notes: list[str]) -> list[str]:
    return [*(f"⚠ {md(n)}." for n in notes), ""] if notes else []


def _signed_off(imrs: list[SignedOff]) -> list[str]:
    """The flag at the top: submitted or approved IMRs whose signed-off words the change alters."""
    if not imrs:
        return []
    statuses = {i.status for i in imrs}
    kind = "approved" if statuses == {"approved"} else "submitted" if statuses == {"submitted"} else "approved or submitted"
    what = f"an {kind} IMR" if len(imrs) == 1 and kind == "approved" else f"a {kind} IMR" if len(imrs) == 1 else f"{len(imrs)} {kind} IMRs"
    return [
        f"### ⚠ Changes {what}: the sign-off no longer covers these words",
        "",
        *(f"- {_imr_name(i.reference, i.review_id, i.agency)}: {i.status}{_on(i)} (changed by {md(i.why)})" for i in imrs),
        "",
        "The panel should not rely on the earlier sign-off: the IMR goes back to its approver, and `sarflow check` "
        "marks each changed line.",
        "",
    ]


def _on(imr: SignedOff) -> str:
    return f" on {uk(imr.approved)}" if imr.approved and imr.status == "approved" else ""


def _imr_name(reference: str, review_id: str, agency: str) -> str:
    return f"{md(reference)} ({md(review_id)}): {md(agency)}"


def _by_outside(document: DocumentChange) -> bool:
    """Whether a file outside reviews/ is among the causes (those come under the outside warning)."""
    return any(not c.startswith("reviews/") and c != OWN_FILES for c in document.causes)


def _outside(files: list[FileChange], documents: list[DocumentChange]) -> list[str]:
    """The warning that leads the summary when files outside reviews/ changed, with the IMRs whose reports they change."""
    if not files:
        return []
    more = [f"- … and {len(files) - LIMIT} more (`sarflow diff --format json` lists them all)"] if len(files) > LIMIT else []
    return [
        f"### ⚠ Changed outside reviews/: {len(files)} file{'' if len(files) == 1 else 's'}",
        "",
        "**These change how the Word documents, the workbooks and the status site are built, or what runs when "
        "they are** (the tool, its settings, the template, the site's pages, the workflows): the board's "
        "administrators must review them.",
        "",
        *(f"- {f.state}: {md(f.path)}" for f in files[:LIMIT]),
        *more,
        "",
        *_documents([d for d in documents if _by_outside(d)], heading=False),
        *_code_changed(files),
    ]


def _code_changed(files: list[FileChange]) -> list[str]:
    """What the comparison cannot show: both sides' reports are composed by the sarflow that runs."""
    code = [f.path for f in files if f.path.startswith(CODE)]
    if not code:
        return []
    return [f"sarflow's own code changed ({md(code[0])}{' …' if len(code) > 1 else ''}): what that does to the documents "
            "is not compared here; the documents attached to the run are built by the new code.", ""]


def _documents(documents: list[DocumentChange], heading: bool = True) -> list[str]:
    """The IMRs whose Word reports change beyond their own files, each with what changes it."""
    if not documents:
        return []
    count = f"{len(documents)} IMR{'' if len(documents) == 1 else 's'}"
    title = (f"### Word reports changed by files other than the IMRs' own: {count}" if heading else
             f"**They change the Word reports of {count}** (built both ways and compared; a redline of each is attached to the run):")
    return [
        title,
        "",
        *(f"- {_imr_name(d.reference, d.review_id, d.agency)} ({md(d.status or 'no status')}): changed by {md(', '.join(d.causes))}"
          for d in documents),
        "",
    ]


def _cut_note(max_bytes: int) -> str:
    return (
        f"**The summary stops here**: it is longer than {max_bytes:,} bytes, more than can be shown. "
        "`sarflow diff --format json` lists every change; in a pull request, the Word documents "
        "with tracked changes attached to the run show them too."
    )


def smallest_cut(max_bytes: int) -> int:
    """The fewest bytes a cut summary can take: its title and the note."""
    return len(f"{TITLE}\n\n{_cut_note(max_bytes)}\n".encode())


def cut(text: str, max_bytes: int) -> str:
    """`text` cut after the last whole line that fits in `max_bytes` with the note saying so."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    note = f"\n{_cut_note(max_bytes)}\n"
    kept = data[: max(max_bytes - len(note.encode()), 0)].decode("utf-8", "ignore")
    return kept[: kept.rfind("\n") + 1] + note


def _review(review: ReviewChanges) -> list[str]:
    name = f"{md(review.reference)} ({md(review.review_id)})"
    if review.state == "removed":
        return [f"### {name}: review removed", "", f"The folder reviews/{md(review.review_id)}/ was removed.", ""]
    lines: list[str] = []
    notes = [_note(u) for u in review.unreadable]
    if review.state == "added":
        lines += [f"### {name}: new review", ""]
    elif review.review or review.text or notes:
        lines += [f"### {name}: the review", ""]
    lines += [f"- {arrow(c)}" for c in review.review]
    lines += [line for w in review.text for line in (f"- {_words(w)}", *_sentences(w, "  "))]
    lines += notes
    if review.review or review.text or notes:
        lines.append("")
    for imr in review.imrs:
        lines += _imr(imr, name)
    return lines


def _imr(imr: ImrChanges, review: str) -> list[str]:
    heading = f"### {review}: {md(imr.agency)}"
    notes = [_note(u) for u in imr.unreadable]
    if imr.state == "removed":
        return [f"{heading}: IMR removed", "", f"The folder reviews/{md(imr.review_id)}/{md(imr.agency_id)}/ was removed.", *notes, ""]
    if imr.state == "added":
        return [f"{heading}: new IMR", "", *_new(imr), *notes, ""]
    lines = [heading, ""]
    if imr.status:
        lines.append(f"- **IMR {arrow(imr.status)}**")
    lines += _texts("Sections changed", imr.sections)
    lines += _texts("Terms-of-reference answers changed", imr.answers)
    lines += _chronology(imr.chronology)
    lines += _actions(imr.actions)
    lines += _quality(imr)
    lines += _group("Sign-off", [arrow(c) for c in imr.sign_off])
    if imr.other:
        lines.append("- **Also changed**: " + "; ".join(md(o) for o in imr.other))
    return [*lines, *notes, ""]


def _quality(imr: ImrChanges) -> list[str]:
    """Answers changed first, each with any finding of check's that contradicts it (never folded), then comments."""
    changes = sorted(imr.quality_assurance, key=lambda q: q.answer is None)
    items = [
        f"{md(q.text)}: " + "; ".join(
            [f"⚠ {md(flag)}" for flag in q.flags]
            + ([f"{shown(q.answer.old)} → {shown(q.answer.new)}"] if q.answer else [])
            + (["comment changed"] if q.comment_changed else [])
        )
        for q in changes
    ]
    return ["- **Quality assurance**:", *_nested(items, sum(1 for q in changes if q.answer))] if items else []


def _note(unreadable: str) -> str:
    return f"- ⚠ {md(unreadable)}: run `sarflow check`; this summary may be incomplete."


def _new(imr: ImrChanges) -> list[str]:
    """A new IMR in a few lines: its status and how much of it is written."""
    written = sum(w.added for w in imr.sections)
    answered = sum(1 for q in imr.quality_assurance if q.answer and q.answer.new)
    return [
        f"- **Status**: {shown(imr.status.new if imr.status else None)}",
        f"- {len(imr.sections)} sections ({word_count(written)}), {len(imr.chronology.added)} chronology entries, "
        f"{len(imr.actions.added)} actions, {answered} quality-assurance answers",
    ]


def _texts(title: str, changes: list[WordChange]) -> list[str]:
    """Texts that changed, each with its word counts and then its changed sentences."""
    return [f"- **{title}**:", *(line for w in changes for line in (f"  - {_words(w)}", *_sentences(w, "    ")))] if changes else []


def _sentences(w: WordChange, indent: str) -> list[str]:
    """The sentences that changed, old beside new in a table under the text's item, the words
    removed struck through and those added in bold. Every sentence removed or rewritten is
    shown; sentences added fold after LIMIT (the redline has them all)."""
    rows, added = [], 0
    for sentence in w.sentences:
        if sentence.old is None:
            added += 1
            if added > LIMIT:
                continue
        was, now = marked(sentence, md)
        rows.append(f"{indent}| {was} | {now} |")
    if not rows:
        return []
    more = [f"{indent}| | … and {added - LIMIT} more sentences added (the redline shows them) |"] if added > LIMIT else []
    return ["", f"{indent}| Before | After |", f"{indent}| --- | --- |", *rows, *more, ""]


def _group(title: str, items: list[str]) -> list[str]:
    return [f"- **{title}**:", *_nested(items)] if items else []


def _nested(items: list[str], kept: int = 0) -> list[str]:
    """Items under a bullet, at most LIMIT of them, but never fewer than the first `kept` (removals
    and changes, which come first: the limit must not hide one); the JSON lists the rest."""
    shown = max(LIMIT, kept)
    more = [f"  - … and {len(items) - shown} more (`sarflow diff --format json` lists them all)"] if len(items) > shown else []
    return [*(f"  - {item}" for item in items[:shown]), *more]


def word_count(n: int) -> str:
    return f"{n:,} word" if n == 1 else f"{n:,} words"


def _words(w: WordChange) -> str:
    if w.state == "added":
        return f"{md(w.title)}: new ({word_count(w.added)})"
    if w.state == "removed":
        return f"{md(w.title)}: removed ({word_count(w.removed)})"
    if not (w.added or w.removed or w.moved):
        return f"{md(w.title)}: layout or guidance comments only"
    parts = [f"{word_count(w.added)} added, {w.removed:,} removed"] if w.added or w.removed else []
    parts += [f"{word_count(w.moved)} moved"] if w.moved else []
    return f"{md(w.title)}: " + "; ".join(parts)


def entry(e: EntryRef) -> str:
    when = " ".join(p for p in (e.shown_date, e.time) if p) or "no date"
    return f"{when}, {md(e.source or 'no source')}"


def _chronology(c: Chronology) -> list[str]:
    if not c:
        return []
    counts = ", ".join(f"{len(items)} {word}" for items, word in ((c.added, "added"), (c.removed, "removed"), (c.changed, "changed")) if items)
    items = [f"removed: {entry(e)}" for e in c.removed]
    items += [f"changed: {entry(ch.was or ch.entry)}: " + "; ".join(arrow(x) for x in ch.changes) for ch in c.changed]
    kept = len(items)  # removals and corrections first, never folded away
    items += [f"added: {entry(e)}" for e in c.added]
    return [f"- **Chronology**: {counts}", *_nested(items, kept)]


def _actions(a: Actions) -> list[str]:
    items = [f"removed: action {shown(r.no)}, “{md(r.recommendation)}”" for r in a.removed]
    for ch in a.changed:
        parts = [f"⚠ {md(flag)}" for flag in ch.flags]
        parts += [arrow(c) for c in ch.changes]
        parts += [f"{md(f)} changed" for f in ch.fields]
        parts += [f"progress update added ({shown(d)})" for d in ch.updates]
        parts += ["an earlier progress update edited or removed"] if ch.updates_edited else []
        named = f" (“{md(ch.recommendation)}”)" if ch.recommendation else ""
        if ch.was is not None:
            renumbered = f"action {shown(ch.was)} is now action {shown(ch.no)}{named}"
            items.append(f"{renumbered}; " + "; ".join(parts) if parts else renumbered)
        else:
            items.append(f"action {shown(ch.no)}{named}: " + "; ".join(parts))
    kept = len(items)  # removals and changes first, never folded away
    items += [
        f"added: action {shown(r.no)}, “{md(r.recommendation)}” ({shown(r.status)}; lead {shown(r.lead_officer)}; target {shown(r.target_date)})"
        for r in a.added
    ]
    return ["- **Actions**:", *_nested(items, kept)] if items else []


def as_json(summary: Summary, base: Revision, head: Revision) -> str:
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "base": {"revision": base.label, "commit": base.commit},
        "head": {"revision": head.label, "commit": head.commit},
        "notes": summary.notes,
        "outside_reviews": [dataclasses.asdict(f) for f in summary.outside],
        "documents_changed": [dataclasses.asdict(d) for d in summary.documents],
        "signed_off_changed": [dataclasses.asdict(s) for s in summary.signed_off],
        "reviews": [dataclasses.asdict(r) for r in summary.reviews],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=_iso) + "\n"


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
