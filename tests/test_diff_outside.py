"""`sarflow diff` lists the files changed outside reviews/ first, under a warning.

A pull request that only touches mkdocs.yml, site/, the template or the tool used to be
summarised as "No changes to the review files", although it changes how every document
and page is built. Each case commits (or leaves in the working tree) such a change, as
an author could, and reads the summary the panel would see.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_diff_repo import Repo, edit_yaml, sarflow

ROOT = Path(__file__).resolve().parents[1]
WARNING = "### ⚠ Changed outside reviews/"


def with_site(repo_root: Path) -> Repo:
    shutil.copytree(ROOT / "site", repo_root / "site")
    for name in ("mkdocs.yml", "Makefile", ".gitignore"):
        shutil.copy(ROOT / name, repo_root / name)
    return Repo(repo_root)


def test_changes_outside_reviews_come_first_under_a_warning(tmp_repo: Path) -> None:
    repo = with_site(tmp_repo)
    base = repo.commit("example")
    config = tmp_repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n", encoding="utf-8")
    (tmp_repo / "hooks.py").write_text("import os\n", encoding="utf-8")
    (tmp_repo / "site" / "help.md").unlink()
    head = repo.commit("a hook")
    code, out, err = sarflow(tmp_repo, "diff", base, head)
    assert code == 0, err
    lines = out.split("\n")
    assert lines[4] == f"{WARNING}: 3 files"
    assert "board's administrators must review them" in out
    assert [x for x in lines if x.startswith("- ")] == ["- added: hooks.py", "- changed: mkdocs.yml", "- removed: site/help.md"]
    assert out.index(WARNING) < out.index("No changes to the review files.")
    code, out, err = sarflow(tmp_repo, "diff", base, head, "--format", "json")
    assert json.loads(out)["outside_reviews"] == [
        {"path": "hooks.py", "state": "added"}, {"path": "mkdocs.yml", "state": "changed"},
        {"path": "site/help.md", "state": "removed"},
    ]


def test_the_working_tree_counts_new_files_but_not_ignored_outputs_nor_review_files(tmp_repo: Path) -> None:
    repo = with_site(tmp_repo)
    repo.commit("example")
    (tmp_repo / "site" / "overrides" / "partials" / "footer.html").write_text("<script src=x></script>\n", encoding="utf-8")
    (tmp_repo / "build").mkdir()
    (tmp_repo / "build" / "output.md").write_text("an output\n", encoding="utf-8")
    imr = next(p for p in sorted((tmp_repo / "reviews").glob("*/*/imr.yml")))
    edit_yaml(imr, lambda data: data.update(status="draft" if data["status"] != "draft" else "submitted"))
    code, out, err = sarflow(tmp_repo, "diff", "HEAD")
    assert code == 0, err
    assert [x for x in out.split("\n") if x.startswith(("- added:", "- changed:", "- removed:"))] == [
        "- added: site/overrides/partials/footer.html"
    ]
    assert "- **IMR Status: " in out


def test_only_changes_inside_the_review_repository_are_listed(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    shutil.copytree(ROOT / "reviews", tmp_path / "safeguarding" / "reviews")
    shutil.copytree(ROOT / "schema", tmp_path / "safeguarding" / "schema")
    base = repo.commit("the reviews")
    (tmp_path / "other-project.txt").write_text("not the board's\n", encoding="utf-8")
    (tmp_path / "safeguarding" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    head = repo.commit("two files")
    code, out, err = sarflow(tmp_path / "safeguarding", "diff", base, head)
    assert code == 0, err
    assert f"{WARNING}: 1 file" in out and "- added: mkdocs.yml" in out and "other-project" not in out


def test_a_file_name_cannot_format_the_summary_or_start_a_line(tmp_repo: Path) -> None:
    repo = with_site(tmp_repo)
    base = repo.commit("example")
    (tmp_repo / "site" / "x\n::error::[y](https:__e.org).md").write_text("x\n", encoding="utf-8")
    head = repo.commit("a strange name")
    code, out, err = sarflow(tmp_repo, "diff", base, head)
    assert code == 0, err
    (line,) = [x for x in out.split("\n") if x.startswith("- added: ")]
    assert line == r"- added: site/x ::error::\[y\]\(https:\_\_e.org\).md"
    assert not [x for x in out.split("\n") if x.startswith("::")]


def test_many_changes_outside_are_cut_short_with_a_pointer_to_the_json(tmp_repo: Path) -> None:
    repo = with_site(tmp_repo)
    base = repo.commit("example")
    for n in range(12):
        (tmp_repo / "site" / f"page-{n:02}.md").write_text("x\n", encoding="utf-8")
    head = repo.commit("twelve pages")
    _code, out, _ = sarflow(tmp_repo, "diff", base, head)
    assert f"{WARNING}: 12 files" in out
    assert "- added: site/page-09.md" in out and "page-10" not in out
    assert "- … and 2 more (`sarflow diff --format json` lists them all)" in out
