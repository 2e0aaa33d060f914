"""Generate a board-scale corpus from the worked example: N reviews x M IMRs.

Each generated review is the example review with its ids and dates shifted, and each
IMR a copy of one of the example's IMRs, so the corpus is realistic in size and shape
(the example's approved IMR has ~50 chronology entries and 6 actions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def generate(target: Path, reviews: int, imrs: int) -> Path:
    """Write a repository with `reviews` reviews of `imrs` IMRs each into `target`."""
    if target.exists():
        shutil.rmtree(target)
    for folder in ("schema", "site"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    (target / "reviews").mkdir(parents=True)
    shutil.copy(ROOT / "reviews/board.yml", target / "reviews/board.yml")
    example = ROOT / "reviews/adult-a"
    sources = sorted(p for p in example.iterdir() if p.is_dir())
    yaml = YAML()
    review = yaml.load((example / "review.yml").read_text(encoding="utf-8"))
    names = {a["id"]: a for a in review["agencies"]}
    for r in range(1, reviews + 1):
        folder = target / "reviews" / f"adult-{r:03d}"
        folder.mkdir()
        agencies = []
        for i in range(imrs):
            source = sources[i % len(sources)]
            agency_id = copy_id(source.name, i)
            shutil.copytree(source, folder / agency_id)
            imr = folder / agency_id / "imr.yml"
            imr.write_text(imr.read_text(encoding="utf-8").replace(f"agency: {source.name}", f"agency: {agency_id}"), encoding="utf-8")
            _point_at_copies(folder / agency_id, sources[:imrs])
            original = names[source.name]
            due = dt.date.fromordinal(original["imr_due"].toordinal())  # a new object: a shared one becomes a YAML alias
            agencies.append({"id": agency_id, "name": f"{original['name']} {i + 1}",
                             "short_code": f"{original['short_code'][:4]}{i + 1}", "imr_due": due})
        review["reference"] = f"SAR{r:03d}"
        review["agencies"] = agencies
        with (folder / "review.yml").open("w", encoding="utf-8") as out:
            yaml.dump(review, out)
    return target


def copy_id(agency_id: str, i: int) -> str:
    """The id of the `i`-th agency copied (from 0): `acute-trust-a`, ..., `acute-trust-z`, `acute-trust-ba`.
    A letter, not a number: an id ending in a digit before `/` reads as two staff ids (`SW1/SW2`)."""
    letters = ""
    while True:
        i, last = divmod(i, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[last] + letters
        if not i:
            return f"{agency_id}-{letters}"


def _point_at_copies(folder: Path, sources: list[Path]) -> None:
    """Make a reference to another agency's staff (`acute-trust/DN1`) name that agency's first copy in this
    review (`acute-trust-1/DN1`), as the example's own references name an agency of its review."""
    for path in folder.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for i, source in enumerate(sources):
            copy = copy_id(source.name, i)
            text = text.replace(f" {source.name}/", f" {copy}/").replace(f"[{source.name}/", f"[{copy}/")
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=30)
    parser.add_argument("--imrs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/corpus")
    args = parser.parse_args()
    print(generate(args.out, args.reviews, args.imrs))


if __name__ == "__main__":
    main()
