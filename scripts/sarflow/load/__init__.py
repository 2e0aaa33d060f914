"""Read a board's repository into the model: `load(root)` for all of it, `load_imr` for one IMR.

`load(root, reviews)` reads only the named reviews whole, for `sarflow check PATH`: of
every other review it reads review.yml and its IMRs' imr.yml, which say what is
restricted (a name of one review's staff typed in another review's text is found too),
and nothing else.

Loading is side-effect free and done per IMR, so that a later content-hash cache,
parallel builds and `--shard K/N` can load IMRs independently. Every problem with the
files themselves (encoding, YAML syntax, a folder in the wrong place) becomes a
finding; only a missing reviews/ folder or template is an environment error. A
symbolic link anywhere under reviews/ or site/ is reported and never followed
(sarflow.links): what it points to is not read, whatever it is.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from sarflow.findings import Finding, Span, error, relative
from sarflow.links import walk
from sarflow.load import records
from sarflow.load.fields import Fields
from sarflow.load.markdown import read_section
from sarflow.load.yamlfile import YamlDocument, read_yaml
from sarflow.model import BOARD_FILE, IMR_STATUSES, Board, Imr, QualityAssurance, Repository, Review, Section
from sarflow.root import SLUG, RepositoryError
from sarflow.scope import ALLOWED_ANYWHERE
from sarflow.template import Template, UnknownTemplate, load_template
from sarflow.words import nearest

IMR_DATA = ("imr.yml", "chronology.yml", "actions.yml")
# The review's findings, recommendations and the board's response: beside review.yml once the review has them.
RECOMMENDATIONS_FILE = "recommendations.yml"
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
# What `sarflow import imr` could not place in a section or table, kept beside the IMR's files until the
# author has moved each part; check reports it (unplaced-content) while it is there.
UNPLACED_FILE = "unplaced.md"


def load(root: Path, reviews: Collection[str] | None = None, people: bool = True) -> Repository:
    """The repository; with `reviews`, only those review folders whole (see the module's docstring), and
    the others not at all unless `people` (when the caller knows who is restricted in them: sarflow.recheck)."""
    with collector_paused():
        return _load(root, reviews, people)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while files are read into the model.

    Loading makes hundreds of thousands of small objects (values, positions, records) that
    live on, and the collector, which runs every few hundred new objects, walks all of them
    again each time it reaches its oldest generation: at 30 reviews x 8 IMRs that was a fifth
    of the load. What loading makes holds no cycles, so reference counting frees whatever is
    dropped. Afterwards the objects are put straight into the oldest generation (frozen and
    at once unfrozen, which moves them without looking at them), so that the collector's next
    run does not walk them all as new (another 0.2 s), and it starts again as it was.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_on:
            gc.enable()


def _load(root: Path, reviews: Collection[str] | None, people: bool) -> Repository:
    reviews_dir = root / "reviews"
    if reviews_dir.is_symlink():
        raise RepositoryError(f"{reviews_dir} is a symbolic link; sarflow reads no links: "
                              "make reviews/ a real folder in the repository")
    if not reviews_dir.is_dir():
        raise RepositoryError(f"{root} has no reviews/ folder")
    findings: list[Finding] = [symbolic_link(link, root) for link in walk(root / "site").links]
    board_doc, board = _board(root, findings)
    template = board_template(root, board)
    loaded = []
    for entry in sorted(reviews_dir.iterdir()):
        shown = relative(entry, root)
        if entry.name == "board.yml":
            continue
        if entry.is_symlink():
            findings.append(symbolic_link(entry, root))
            continue
        if entry.name.startswith(".") or entry.name in ALLOWED_ANYWHERE:
            continue
        if entry.is_file():
            findings.append(_misplaced(shown, entry.name, "reviews/", template))
        elif reviews is None or entry.name in reviews:
            loaded.append(load_review(root, entry, template, findings))
        elif people:
            loaded.append(load_review(root, entry, template, [], whole=False))
    return Repository(root, board, template, loaded, findings, board_doc)


def board_template(root: Path, board: Board | None = None) -> Template:
    """The template the board names in reviews/board.yml (read here if not given)."""
    board = board or _board(root, [])[1]
    try:
        return load_template(root, board.template_id)
    except UnknownTemplate as exc:  # nothing can be read without the template: a set-up error
        raise UnknownTemplate(
            f"{board.span('template')}: error[unknown-template]: {exc}\n"
            "    hint: correct `template:` in reviews/board.yml, or add the template's file to schema/templates/"
        ) from exc


def _board(root: Path, findings: list[Finding]) -> tuple[YamlDocument | None, Board]:
    path = root / BOARD_FILE
    if path.is_symlink():
        findings.append(symbolic_link(path, root))
        return None, Board.defaults()
    if not path.is_file():
        findings.append(
            error(
                "missing-file",
                "the repository has no reviews/board.yml",
                Span(BOARD_FILE),
                "create it with three lines: `name: <the board's full name>`, `short_name: <its initials>` and `template: SAR9 V3`",
            )
        )
        return None, Board.defaults()
    doc = read_yaml(path, BOARD_FILE)
    findings.extend(doc.findings)
    return doc, records.board(doc)


def load_review(root: Path, folder: Path, template: Template, findings: list[Finding], whole: bool = True) -> Review:
    """One review and all its IMRs; problems with the review itself go into `findings`.

    Not `whole`: review.yml and each IMR's imr.yml only (see `load_imr`).
    """
    shown = relative(folder, root)
    if not SLUG.match(folder.name):
        findings.append(_not_a_slug(shown, folder.name, "review"))
    review_file = folder / "review.yml"
    if review_file.is_symlink():
        findings.append(symbolic_link(review_file, root))
        review = records.review(YamlDocument(f"{shown}/review.yml"), folder.name, folder)
    elif review_file.is_file():
        doc = read_yaml(review_file, f"{shown}/review.yml")
        findings.extend(doc.findings)
        review = records.review(doc, folder.name, folder)
    else:
        findings.append(
            error(
                "missing-file",
                f"the review folder {shown}/ has no review.yml",
                Span(f"{shown}/review.yml"),
                f"create it with `sarflow new review {folder.name}` or copy the example's",
            )
        )
        review = records.review(YamlDocument(f"{shown}/review.yml"), folder.name, folder)
    listed = [a.id for a in review.agencies if a.id]
    if whole:
        _recommendations(root, folder, review, template, findings)
    for entry in sorted(folder.iterdir()):
        entry_shown = f"{shown}/{entry.name}"  # as `relative(entry, root)` has it: the entry is in the folder, a link as itself
        if entry.name in ("review.yml", RECOMMENDATIONS_FILE):
            continue
        if entry.is_symlink():
            findings.append(symbolic_link(entry, root))
            continue
        if entry.name.startswith(".") or entry.name in ALLOWED_ANYWHERE:
            continue
        if entry.is_file():
            findings.append(_misplaced(entry_shown, entry.name, f"{shown}/", template))
            continue
        if not SLUG.match(entry.name):
            findings.append(_not_a_slug(entry_shown, entry.name, "agency"))
        elif entry.name not in listed:
            near = nearest(entry.name, listed)
            findings.append(
                error(
                    "unlisted-agency",
                    f"the folder {entry.name}/ is not an agency listed in {shown}/review.yml",
                    Span(entry_shown),
                    f"did you mean {near}? rename the folder" if near
                    else f"add `- {{id: {entry.name}, name: ..., imr_due: ...}}` under agencies in review.yml",
                )
            )
        review.imrs[entry.name] = load_imr(root, review.id, entry, template, whole)
    order = {agency_id: n for n, agency_id in enumerate(listed)}
    review.imrs = dict(sorted(review.imrs.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return review


def _recommendations(root: Path, folder: Path, review: Review, template: Template, findings: list[Finding]) -> None:
    """The review's recommendations.yml, when it has one (a review has none until its report is being written)."""
    path = folder / RECOMMENDATIONS_FILE
    if path.is_symlink():
        findings.append(symbolic_link(path, root))
    elif path.is_file():
        doc = read_yaml(path, relative(path, root))
        findings.extend(doc.findings)
        review.recommendations_document = doc
        review.recommendations = records.recommendations(doc, template.action_plan)


def load_imr(root: Path, review_id: str, folder: Path, template: Template, whole: bool = True) -> Imr:
    """One agency's IMR, reading only its own folder (and no link in it).

    Not `whole`: only imr.yml, for the people it names (what is restricted); its other
    files are left unread, as if empty, and nothing is said about them.
    """
    shown = relative(folder, root)
    if not whole:
        path = folder / "imr.yml"
        imr_doc = read_yaml(path, f"{shown}/imr.yml") if path.is_file() and not path.is_symlink() else YamlDocument(f"{shown}/imr.yml")
        empty = {name: YamlDocument(f"{shown}/{name}") for name in IMR_DATA}
        return _imr(review_id, folder, template, empty | {"imr.yml": imr_doc}, {}, [])
    tree = walk(folder)
    files, links = set(tree.files), set(tree.links)  # what the folder holds, as listed: no file is asked about again
    findings: list[Finding] = [symbolic_link(link, root) for link in tree.links]
    documents: dict[str, YamlDocument] = {}
    for name in IMR_DATA:
        path = folder / name
        if path in links:
            documents[name] = YamlDocument(f"{shown}/{name}")
        elif path in files:
            documents[name] = read_yaml(path, f"{shown}/{name}")
            findings.extend(documents[name].findings)
        else:
            documents[name] = YamlDocument(f"{shown}/{name}")
            findings.append(_missing(shown, name))
    sections = {}
    for section_id, name in template.section_files.items():
        path = folder / name
        if path in links:
            continue
        if path not in files:
            findings.append(_missing(shown, name))
            continue
        section, problems = read_section(path, f"{shown}/{name}", section_id)
        findings.extend(problems)
        if section is not None:
            sections[section_id] = section
    expected = set(IMR_DATA) | set(template.section_files.values()) | ALLOWED_ANYWHERE | {UNPLACED_FILE}
    for path in tree.files:
        inside = path.relative_to(folder)
        hidden = any(p.startswith(".") for p in inside.parts)
        if not hidden and inside.as_posix() not in expected and path.suffix.lower() not in IMAGES:
            findings.append(_misplaced(relative(path, root), path.name, f"{shown}/", template))
    if folder / UNPLACED_FILE in files:
        findings.append(_unplaced(f"{shown}/{UNPLACED_FILE}", Fields(documents["imr.yml"]).text("status")))
    return _imr(review_id, folder, template, documents, sections, findings)


def _imr(review_id: str, folder: Path, template: Template, documents: dict[str, YamlDocument],
         sections: dict[str, Section], findings: list[Finding]) -> Imr:
    imr_doc = documents["imr.yml"]
    f = Fields(imr_doc)
    abbreviations, abbreviation_spans = records.abbreviations(f)
    status = f.text("status")
    return Imr(
        review_id=review_id,
        agency_id=folder.name,
        folder=folder,
        at=imr_doc.span(),
        status=next((s for s in IMR_STATUSES if s == status), None),
        author=records.signatory(f.sub("author")),
        approved_by=records.signatory(f.sub("approved_by")),
        submitted=f.date("submitted"),
        family=records.family(f),
        personnel=records.personnel(f, template.not_known),
        abbreviations=abbreviations,
        abbreviation_spans=abbreviation_spans,
        quality_assurance=records.quality_assurance(f) if imr_doc.data is not None else QualityAssurance(imr_doc.span(), answers={}),
        chronology=records.chronology(documents["chronology.yml"]),
        actions=records.actions(documents["actions.yml"], template.action_plan),
        sections=sections,
        documents=documents,
        findings=findings,
    )


def _unplaced(shown: str, status: str | None) -> Finding:
    from sarflow.check.registry import severity  # here: sarflow.check imports this module

    return Finding(
        severity("unplaced-content", status, "warning"),
        "unplaced-content",
        "this file holds what `sarflow import imr` could not place in a section or table of the IMR",
        Span(shown),
        "move each part into the section or the data file where it belongs (or decide it is not needed), "
        "then delete the file",
    )


def symbolic_link(link: Path, root: Path) -> Finding:
    """The one finding for every link, whatever it points to: a file elsewhere in the
    repository, /etc/passwd and a missing file are all refused alike, and none is read."""
    shown = relative(link, root)
    return error(
        "symbolic-link",
        f"{shown} is a symbolic link; sarflow never follows a link, so what it points to is not read",
        Span(shown),
        "put the real file or folder here instead (delete the link, copy the content in and commit it), "
        "or delete the link if it does not belong here",
    )


def _missing(shown: str, name: str) -> Finding:
    return error(
        "missing-file",
        f"the IMR folder {shown}/ has no {name}",
        Span(f"{shown}/{name}"),
        "create it (a section may hold only a comment while it is being written); "
        "`sarflow new imr` scaffolds every file",
    )


def _misplaced(shown: str, name: str, where: str, template: Template) -> Finding:
    homes = {"board.yml": "reviews/board.yml", "review.yml": "reviews/<review-id>/review.yml",
             RECOMMENDATIONS_FILE: f"reviews/<review-id>/{RECOMMENDATIONS_FILE}"}
    homes |= {f: f"reviews/<review-id>/<agency-id>/{f}" for f in (*IMR_DATA, *template.section_files.values())}
    home = homes.get(name)
    return error(
        "misplaced-file",
        f"{name} does not belong in {where}",
        Span(shown),
        f"move it to {home}" if home else "sarflow does not read it: move it out of reviews/ or delete it",
    )


def _not_a_slug(shown: str, name: str, kind: str) -> Finding:
    suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "a-name"
    return error(
        "bad-folder-name",
        f"the {kind} folder name {name!r} is not a valid id",
        Span(shown),
        f"use lowercase letters, digits and single hyphens, e.g. {suggestion}",
    )
