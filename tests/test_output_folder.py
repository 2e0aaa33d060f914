"""Outputs go only into a real build/ folder, and the site's staging step deletes only what it wrote.

A link committed at build/site-src used to make `sarflow build` empty whatever it pointed
at (pointed at `..`, the repository's own files); one at build/reviews -> ../site put every
Word report into the published site. Each case here plants such a link (or a tracked file)
in a git repository and checks that `build` and `serve` refuse to start: exit 2, a message
naming the link, and every file of the repository still there, unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sarflow.load import load
from sarflow.site import STAGING, prepare
from sarflow.site.staging import MANIFEST
from test_diff_repo import Repo, sarflow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A committed copy of everything the outputs are built from."""
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    made = Repo(tmp_path)
    made.commit("the example")
    return made


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the repository outside build/ and .git/, with its content."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in ("build", ".git")
    }


# (the link under the repository, where it points, relative to the link's folder)
LINKS = {
    "build/site-src -> the repository": ("build/site-src", ".."),
    "build/site-src -> an IMR folder": ("build/site-src", "../reviews/adult-a/gp-practice"),
    "build/reviews -> site/": ("build/reviews", "../site"),
    "build -> site/": ("build", "site"),
    "a link deep in build/site": ("build/site/assets/fonts", "/"),
    "a file link in build/": ("build/mkdocs-site.yml", "../mkdocs.yml"),
}


@pytest.mark.parametrize("case", sorted(LINKS))
@pytest.mark.parametrize("command", [("build",), ("build", "--only", "site"), ("serve", "--port", "1")])
def test_a_link_in_build_stops_the_command_before_anything_is_written(repo: Repo, case: str, command: tuple) -> None:
    shown, target = LINKS[case]
    link = repo.root / shown
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    before = snapshot(repo.root)
    code, out, err = sarflow(repo.root, *command)
    assert code == 2, err
    assert f"{link} is a symbolic link" in err and "nothing was written or deleted" in err
    assert "Traceback" not in err and out == ""
    assert snapshot(repo.root) == before
    assert link.is_symlink() and not (repo.root / "site" / "adult-a").exists()


def test_a_folder_git_tracks_is_never_used_for_outputs(repo: Repo) -> None:
    kept = repo.root / "build" / "site-src" / "notes.md"
    kept.parent.mkdir(parents=True)
    kept.write_text("the board's own notes\n", encoding="utf-8")
    repo.commit("a tracked file under build/")
    code, _, err = sarflow(repo.root, "build", "--only", "site")
    assert code == 2
    assert "git tracks files in the output folder" in err and "build/site-src/notes.md" in err
    assert kept.read_text(encoding="utf-8") == "the board's own notes\n"
    assert not (repo.root / "build" / "site").exists()


@pytest.mark.parametrize("out", [".", "reviews", "site/.."])
def test_out_may_not_be_a_folder_of_the_repository(repo: Repo, out: str) -> None:
    before = snapshot(repo.root)
    code, _, err = sarflow(repo.root, "build", "--only", "site", "--out", str(repo.root / out))
    assert code == 2 and "git tracks files in the output folder" in err
    assert snapshot(repo.root) == before


def test_out_may_not_be_a_link(repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "keep.txt").write_text("keep me\n", encoding="utf-8")
    os.symlink(elsewhere, repo.root / "out")
    code, _, err = sarflow(repo.root, "build", "--only", "site", "--out", str(repo.root / "out"))
    assert code == 2 and f"{repo.root / 'out'} is a symbolic link" in err
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


def test_a_real_untracked_build_folder_is_used(repo: Repo) -> None:
    code, _, err = sarflow(repo.root, "build", "--only", "site")
    assert code == 0, err
    assert (repo.root / "build" / "site" / "index.html").is_file()
    assert subprocess.run(["git", "status", "--porcelain", "--ignored=no"], cwd=repo.root, capture_output=True,
                          text=True).stdout.split() == ["??", "build/"]


def test_staging_leaves_alone_and_refuses_files_it_did_not_write(repo: Repo) -> None:
    out = repo.root / "build"
    prepare(load(repo.root), out)
    stranger = out / STAGING / "reviews" / "copied-here.md"
    stranger.write_text("not sarflow's\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"1 file\(s\) that sarflow did not write, such as reviews/copied-here\.md"):
        prepare(load(repo.root), out)
    assert stranger.read_text(encoding="utf-8") == "not sarflow's\n"
    code, _, err = sarflow(repo.root, "build", "--only", "site")
    assert code == 1 and "nothing was deleted" in err
    assert stranger.is_file() and not (out / "site" / "reviews" / "copied-here").exists()


@pytest.mark.parametrize("listed", ["../../reviews/adult-a/review.yml", "/etc/hostname", "..", "reviews/../../mkdocs.yml"])
def test_a_tampered_list_of_written_files_deletes_nothing_outside(repo: Repo, listed: str) -> None:
    out = repo.root / "build"
    prepare(load(repo.root), out)
    manifest = out / STAGING / MANIFEST
    manifest.write_text(json.dumps([*json.loads(manifest.read_text(encoding="utf-8")), listed]), encoding="utf-8")
    before = snapshot(repo.root)
    prepare(load(repo.root), out)
    assert snapshot(repo.root) == before
    assert listed not in json.loads(manifest.read_text(encoding="utf-8"))
