"""The build cache (sarflow.cache): an entry is trusted only when every part of it holds.

Each bad entry a user or a crash can leave (truncated, garbage, another sarflow's, one whose
output was deleted or edited by hand) is a miss, never a traceback, and recording afresh
replaces it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow.cache import FOLDER, MAX_READ, MEMO, RACY_SECONDS, READ_SIZE, Cache, fingerprint

NAME = "docx/adult-a/police"


@pytest.fixture
def built(tmp_repo: Path) -> tuple[Cache, Path, str]:
    """A cache in tmp_repo/build with one recorded entry vouching for one output."""
    out = tmp_repo / "build"
    output = out / "reviews" / "adult-a" / "police" / "report.docx"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"the report")
    cache = Cache(out, tmp_repo)
    key = cache.key("docx", "inputs")
    cache.record(NAME, key, [output], data={"findings": ["one"]})
    return cache, output, key


def entry_file(cache: Cache) -> Path:
    (entry,) = (cache.out / FOLDER).iterdir()
    return entry


def test_a_recorded_entry_is_a_hit_with_its_data(built: tuple[Cache, Path, str]) -> None:
    cache, _, key = built
    entry = cache.hit(NAME, key)
    assert entry is not None and entry["data"] == {"findings": ["one"]}
    assert Cache(cache.out, cache.out.parent).hit(NAME, key) is not None  # a later run reads it too


def test_another_key_or_name_is_a_miss(built: tuple[Cache, Path, str]) -> None:
    cache, _, key = built
    assert cache.hit(NAME, cache.key("docx", "other inputs")) is None
    assert cache.hit("docx/adult-a/acute-trust", key) is None


@pytest.mark.parametrize("cut", [0, 1, 20, -1])
def test_a_truncated_entry_is_discarded_and_replaced(built: tuple[Cache, Path, str], cut: int) -> None:
    cache, output, key = built
    path = entry_file(cache)
    path.write_bytes(path.read_bytes()[:cut])
    assert cache.hit(NAME, key) is None
    cache.record(NAME, key, [output])
    assert cache.hit(NAME, key) is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=300) | st.text(max_size=100).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=10).map(lambda value: json.dumps(value).encode()))
def test_garbage_in_an_entry_is_a_miss(built: tuple[Cache, Path, str], garbage: bytes) -> None:
    cache, _, key = built
    entry_file(cache).write_bytes(garbage)
    assert cache.hit(NAME, key) is None


@pytest.mark.parametrize("field, value", [
    ("sarflow", "0.0.1+0123456789abcdef"), ("format", 0), ("outputs", ["reviews/adult-a/police/report.docx"]),
    ("outputs", {"../outside.docx": "0" * 64}), ("outputs", {"/etc/passwd": "0" * 64}), ("name", "docx/other"),
])
def test_an_entry_of_another_version_or_shape_is_a_miss(built: tuple[Cache, Path, str], field: str, value: object) -> None:
    cache, _, key = built
    path = entry_file(cache)
    entry = json.loads(path.read_text())
    entry[field] = value
    path.write_text(json.dumps(entry))
    assert cache.hit(NAME, key) is None


def test_an_output_deleted_or_edited_by_hand_is_a_miss(built: tuple[Cache, Path, str]) -> None:
    cache, output, key = built
    output.write_bytes(b"the report, edited in Word")
    assert cache.hit(NAME, key) is None
    output.unlink()
    assert cache.hit(NAME, key) is None
    output.mkdir()
    assert cache.hit(NAME, key) is None


def test_a_folder_where_the_entry_should_be_is_a_miss_and_never_an_error(built: tuple[Cache, Path, str]) -> None:
    cache, output, key = built
    path = entry_file(cache)
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
    assert cache.hit(NAME, key) is None
    cache.record(NAME, key, [output])  # cannot be written: no entry, and no traceback
    cache.forget(NAME)
    assert cache.hit(NAME, key) is None


def test_an_output_not_written_is_never_vouched_for(built: tuple[Cache, Path, str]) -> None:
    cache, output, key = built
    cache.record(NAME, key, [output, output.with_name("missing.xlsx")])
    assert cache.hit(NAME, key) is None


def test_the_template_files_are_in_every_key(tmp_repo: Path) -> None:
    before = Cache(tmp_repo / "build", tmp_repo).key("site")
    template = tmp_repo / "schema" / "templates" / "sar9-v3.yml"
    template.write_text(template.read_text() + "\n# a board's comment\n")
    assert Cache(tmp_repo / "build", tmp_repo).key("site") != before


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=5) | st.integers(), min_size=1, max_size=4), st.data())
def test_any_change_to_a_part_changes_the_key(built: tuple[Cache, Path, str], parts: list[str | int],
                                              data: st.DataObject) -> None:
    n = data.draw(st.integers(0, len(parts) - 1))
    changed = data.draw(st.text(max_size=5) | st.integers())
    cache = built[0]
    other = [*parts[:n], changed, *parts[n + 1:]]
    assert (cache.key(*parts) == cache.key(*other)) == (parts == other)


def test_folder_fingerprint_follows_content_paths_and_links(tmp_path: Path) -> None:
    def run() -> Cache:  # each observation is a run of its own
        return Cache(tmp_path / "build", tmp_path)

    (tmp_path / "imr").mkdir()
    narrative = tmp_path / "imr" / "narrative.md"
    narrative.write_text("One sentence.\n")
    first = run().folder_fingerprint(tmp_path / "imr")
    narrative.write_text("One sentence!\n")
    edited = run().folder_fingerprint(tmp_path / "imr")
    narrative.rename(tmp_path / "imr" / "analysis.md")
    renamed = run().folder_fingerprint(tmp_path / "imr")
    (tmp_path / "secret").write_text("not read")
    (tmp_path / "imr" / "link.md").symlink_to(tmp_path / "secret")
    linked = run().folder_fingerprint(tmp_path / "imr")
    (tmp_path / "secret").write_text("still not read")
    assert len({first, edited, renamed, linked}) == 4
    assert run().folder_fingerprint(tmp_path / "imr") == linked  # the link is named, never followed
    assert run().fingerprint(tmp_path / "imr" / "link.md") is None


@pytest.mark.parametrize("size", [0, 1, READ_SIZE, MAX_READ - 1, MAX_READ, MAX_READ + 1, 2 * MAX_READ + 7])
def test_a_fingerprint_is_of_every_byte_of_the_file_however_large(tmp_path: Path, size: int) -> None:
    content = os.urandom(size)
    (tmp_path / "picture.png").write_bytes(content)
    assert fingerprint(tmp_path / "picture.png") == hashlib.sha256(content).hexdigest()


def test_an_inputs_fingerprint_stands_for_the_whole_run(tmp_path: Path) -> None:
    narrative = tmp_path / "narrative.md"
    narrative.write_text("One sentence.\n")
    cache = Cache(tmp_path / "build", tmp_path)
    first = cache.fingerprint(narrative)
    narrative.write_text("Saved again while the build ran.\n")
    assert cache.fingerprint(narrative) == first  # what this run was made from, as it was first seen
    assert Cache(tmp_path / "build", tmp_path).fingerprint(narrative) == fingerprint(narrative) != first


def aged(path: Path, content: bytes) -> None:
    """Write `content`, dated as if written a minute ago (so that the run after may remember it)."""
    path.write_bytes(content)
    past = path.stat().st_mtime_ns - 60 * 10**9
    os.utime(path, ns=(past, past))


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path) -> None:
    narrative = tmp_path / "narrative.md"
    aged(narrative, b"One sentence.\n")
    cache = Cache(tmp_path / "build", tmp_path)
    first = cache.fingerprint(narrative)
    assert first == fingerprint(narrative)
    cache.save()
    narrative.chmod(0)  # unreadable now: only the remembered fingerprint can answer
    try:
        assert Cache(tmp_path / "build", tmp_path).fingerprint(narrative) == first
    finally:
        narrative.chmod(0o644)
    aged(narrative, b"One sentence!\n")  # the same size, and even an older modification time
    assert Cache(tmp_path / "build", tmp_path).fingerprint(narrative) == fingerprint(narrative) != first


def test_a_file_changed_just_now_is_not_remembered(tmp_path: Path) -> None:
    narrative = tmp_path / "narrative.md"
    narrative.write_bytes(b"One sentence.\n")
    cache = Cache(tmp_path / "build", tmp_path)
    cache.fingerprint(narrative)
    cache.save()
    kept = (tmp_path / "build" / MEMO)
    assert not kept.exists() or str(narrative) not in kept.read_text()
    assert RACY_SECONDS >= 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=200) | st.sampled_from([
    b'{"format": 1, "files": {"X": [1, 2, 3, 4, "not a hash"]}}', b'{"format": 1, "files": []}', b"[]",
    b'{"format": 2, "files": {}}', b'{"format": 1, "files": {"X": [1, 2, 3, 4]}}']))
def test_garbage_in_the_remembered_fingerprints_is_ignored(tmp_path: Path, garbage: bytes) -> None:
    narrative = tmp_path / "narrative.md"
    aged(narrative, b"One sentence.\n")
    (tmp_path / "build" / MEMO).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "build" / MEMO).write_bytes(garbage.replace(b'"X"', json.dumps(str(narrative)).encode()))
    assert Cache(tmp_path / "build", tmp_path).fingerprint(narrative) == fingerprint(narrative)


def test_the_tool_version_names_the_version_number(tmp_path: Path) -> None:
    import sarflow

    assert Cache(tmp_path / "build", tmp_path).tool.startswith(f"{sarflow.__version__}+")


def test_an_edited_sarflow_reuses_nothing_the_old_one_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sarflow

    code = tmp_path / "installed" / "sarflow"
    code.mkdir(parents=True)
    (code / "__init__.py").write_text('__version__ = "0.1.0"\n')
    monkeypatch.setattr(sarflow, "__file__", str(code / "__init__.py"))
    before = Cache(tmp_path / "build", tmp_path)
    key = before.key("docx")
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"compiled")  # not the code: ignored
    assert Cache(tmp_path / "build", tmp_path).key("docx") == key
    (code / "cache.py").write_text("# a fix\n")
    after = Cache(tmp_path / "build", tmp_path)
    assert after.tool != before.tool and after.key("docx") != key


def test_a_limit_set_for_one_run_is_in_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Cache(tmp_path / "build", tmp_path).key("docx")
    monkeypatch.setenv("SARFLOW_LIMIT_PANDOC_SECONDS", "5")
    assert Cache(tmp_path / "build", tmp_path).key("docx") != key


def test_a_library_installed_anew_reuses_nothing_the_old_one_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sysconfig

    packages = tmp_path / "site-packages"
    (packages / "PyYAML-6.0.1.dist-info").mkdir(parents=True)
    (packages / "yaml").mkdir()
    monkeypatch.setattr(sysconfig, "get_paths", lambda: {"purelib": str(packages), "platlib": str(packages)})
    key = Cache(tmp_path / "build", tmp_path).key("check")
    (packages / "yaml" / "__init__.py").write_text("# a package's files are not read\n")
    (packages / "a-file-of-its-own.pth").write_text("")
    assert Cache(tmp_path / "build", tmp_path).key("check") == key
    (packages / "PyYAML-6.0.1.dist-info").rename(packages / "PyYAML-6.0.2.dist-info")
    upgraded = Cache(tmp_path / "build", tmp_path).key("check")
    (packages / "openpyxl-3.1.5.dist-info").mkdir()
    assert len({key, upgraded, Cache(tmp_path / "build", tmp_path).key("check")}) == 3


def test_what_sarflow_runs_on_names_python_and_the_libraries_it_reads_with() -> None:
    from sarflow.cache import installed

    found = installed()
    assert found[0] == sys.version
    for package in ("PyYAML", "openpyxl", "jsonschema_rs", "pypandoc_binary", "mkdocs"):
        assert any(name.lower().startswith(package.lower() + "-") and name.endswith(".dist-info") for name in found), package
