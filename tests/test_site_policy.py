"""The site's own settings and files: no code at build time, no local file copied in, no request elsewhere.

`hooks:` or a plugin in mkdocs.yml runs code at every build; pymdownx.snippets and its
like copy files of the building computer into pages; a script, style sheet, font or
picture from another host in site/ makes every page request it. Each is written as an
administrator (or a pull request) could, and `check` must name its file, line and
column; the site's build must stop before MkDocs runs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow.sitepolicy import problems
from test_diff_repo import sarflow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def site_repo(tmp_repo: Path) -> Path:
    shutil.copytree(ROOT / "site", tmp_repo / "site")
    shutil.copy(ROOT / "mkdocs.yml", tmp_repo / "mkdocs.yml")
    return tmp_repo


def add_to_config(root: Path, text: str, after: str | None = None) -> int:
    """Add `text` to mkdocs.yml (at the end, or after the line `after`); returns the line of its first line."""
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    at = lines.index(after) + 1 if after else len(lines)
    lines[at:at] = text.rstrip("\n").split("\n")
    config.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def codes_at(out: str) -> list[str]:
    return [line.split(": ")[0] + " " + line.split("[")[1].split("]")[0] for line in out.splitlines() if "error[site-" in line]


# (text added to mkdocs.yml, after which line, the code expected, the line of the finding counted from the text's first)
SETTINGS = {
    "hooks": ("hooks:\n  - hooks.py\n", None, "site-hooks", 0),
    "a plugin": ("  - macros\n", "plugins:", "site-plugin", 0),
    "a plugin with options": ("  - git-revision-date-localized:\n      type: date\n", "plugins:", "site-plugin", 0),
    "pymdownx.snippets": ("  - pymdownx.snippets:\n      base_path: [/etc]\n", "markdown_extensions:", "site-extension", 0),
    "markdown_include": ("  - markdown_include.include\n", "markdown_extensions:", "site-extension", 0),
    "mdx_include": ("  - mdx_include\n", "markdown_extensions:", "site-extension", 0),
    "pymdownx.b64": ("  - pymdownx.b64\n", "markdown_extensions:", "site-extension", 0),
    "INHERIT": ("INHERIT: ../other/mkdocs.yml\n", None, "site-setting", 0),
    "a theme folder outside site/": ("  custom_dir: /etc\n", "  name: material", "site-setting", 0),
    "a script from a CDN": ("  - https://cdn.example.org/chart.js\n", "extra_javascript:", "site-outside-request", 0),
    "a style sheet by path": ("  - path: //cdn.example.org/x.css\n", "extra_css:", "site-outside-request", 0),
}


@pytest.mark.parametrize("case", sorted(SETTINGS))
def test_check_refuses_a_setting_that_runs_code_reads_files_or_fetches(site_repo: Path, case: str) -> None:
    text, after, code, offset = SETTINGS[case]
    if case == "a theme folder outside site/":
        config = site_repo / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("  custom_dir: site/overrides\n", ""), encoding="utf-8")
    line = add_to_config(site_repo, text, after) + offset
    status, out, _ = sarflow(site_repo, "check")
    assert status == 1
    found = codes_at(out)
    assert len(found) == 1 and found[0].startswith(f"mkdocs.yml:{line}:") and found[0].endswith(f" {code}"), out


def test_the_example_settings_and_pages_pass(site_repo: Path) -> None:
    assert problems(site_repo) == []
    _status, out, _ = sarflow(site_repo, "check")
    assert "error[site-" not in out


def test_a_hook_never_runs_and_snippets_never_copy_a_file(site_repo: Path) -> None:
    """The build stops before MkDocs starts: the hook leaves no mark, /etc/passwd reaches no page."""
    (site_repo / "hooks.py").write_text(f"open({str(site_repo / 'ran')!r}, 'w').close()\n", encoding="utf-8")
    add_to_config(site_repo, "hooks:\n  - hooks.py\n")
    add_to_config(site_repo, "  - pymdownx.snippets:\n      base_path: [/]\n      check_paths: false\n", "markdown_extensions:")
    with (site_repo / "site" / "help.md").open("a", encoding="utf-8") as page:
        page.write('\n--8<-- "etc/passwd"\n')
    status, _, err = sarflow(site_repo, "build", "--only", "site")
    assert status == 1 and "error[site-build]: the status site was not built: `hooks:` runs the Python files" in err
    assert not (site_repo / "ran").exists()
    assert not (site_repo / "build" / "site").exists()


# Pages of site/ that load from another host: (file, text, the address as the finding names it)
PAGES = {
    "a script in the theme": ("overrides/main.html", '{% extends "base.html" %}\n<script src="https://cdn.example.org/a.js"></script>\n',
                              "https://cdn.example.org/a.js"),
    "a style sheet link": ("overrides/partials/head.html", "<link rel=stylesheet href=//fonts.example.org/css>\n", "//fonts.example.org/css"),
    "a picture in a page": ("help.md", "# Help\n\nSee ![logo](https://example.org/logo.png).\n", "https://example.org/logo.png"),
    "a srcset": ("help.md", '<img src="a.png" srcset="a.png 1x, https://e.example/b.png 2x">\n', "https://e.example/b.png"),
    "an inline style": ("help.md", "<p style=\"background: url('//e.example/p.png')\">x</p>\n", "//e.example/p.png"),
    "a web font": ("stylesheets/site.css", "@font-face { src: url(https://fonts.example.org/x.woff2); }\n", "https://fonts.example.org/x.woff2"),
    "an import": ("stylesheets/site.css", 'body { color: red; }\n@import "https://e.example/more.css";\n', "https://e.example/more.css"),
    "a fetch": ("javascripts/tables.js", 'const a = 1;\nfetch("https://track.example.org/?p=" + location);\n', "https://track.example.org/?p="),
    "a backslash host": ("help.md", '<img src="\\\\e.example\\x.png">\n', "\\\\e.example\\x.png"),
}


@pytest.mark.parametrize("case", sorted(PAGES))
def test_check_refuses_a_page_that_loads_from_another_host(site_repo: Path, case: str) -> None:
    name, text, address = PAGES[case]
    (site_repo / "site" / name).parent.mkdir(parents=True, exist_ok=True)
    (site_repo / "site" / name).write_text(text, encoding="utf-8")
    at = text.index(address)
    line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    status, out, _ = sarflow(site_repo, "check")
    assert status == 1
    assert codes_at(out) == [f"site/{name}:{line}:{col} site-outside-request"], out
    assert f"{address} is on another site" in out


def test_links_out_and_addresses_shown_as_code_are_not_requests(site_repo: Path) -> None:
    (site_repo / "site" / "help.md").write_text(
        "# Help\n\n[The Care Act](https://www.legislation.gov.uk/ukpga/2014/23) and <a href=\"https://e.example\">x</a>.\n\n"
        "Never write `<script src=\"https://cdn.example.org/a.js\">`:\n\n```html\n<img src=\"https://e.example/x.png\">\n```\n",
        encoding="utf-8",
    )
    assert problems(site_repo) == []


def test_the_site_build_stops_at_a_page_that_loads_from_another_host(site_repo: Path) -> None:
    page = '{% extends "base.html" %}\n<script src="//cdn.example.org/a.js"></script>\n'
    (site_repo / "site" / "overrides" / "main.html").write_text(page, encoding="utf-8")
    status, _, err = sarflow(site_repo, "build", "--only", "site")
    assert status == 1
    assert "site/overrides/main.html:2:14: error[site-build]: the status site was not built: //cdn.example.org/a.js is on another site" in err


ELEMENTS = [("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("video", "poster"),
            ("object", "data"), ("source", "srcset"), ("image", "xlink:href"), ("base", "href")]
ADDRESSES = st.tuples(
    st.sampled_from(["https://", "http://", "//", "HTTPS://", "wss://", "https:"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._-]{1,8}){0,3}", fullmatch=True),
).map("".join)


@settings(max_examples=60, deadline=None)
@given(
    element=st.sampled_from(ELEMENTS), address=ADDRESSES, quote=st.sampled_from(['"', "'", ""]),
    before=st.lists(st.sampled_from(["<p>text</p>", "", "  ", "<a href=\"https://e.example\">a link</a>", "{{ x }}"]), max_size=4),
    page=st.sampled_from(["overrides/main.html", "help.md", "overrides/partials/x.html"]),
)
def test_any_element_that_loads_from_any_host_is_found_where_it_is_written(element, address, quote, before, page) -> None:
    tag, attribute = element
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "site" / Path(page).parent).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        written = f"<{tag} class=x {attribute}={quote}{address}{quote}>"
        (root / "site" / page).write_text("\n".join([*before, written, ""]), encoding="utf-8")
        found = problems(root)
    assert [(f.code, f.span.path, f.span.line, f.span.col) for f in found] == [
        ("site-outside-request", f"site/{page}", len(before) + 1, written.index(address) + 1)
    ]
