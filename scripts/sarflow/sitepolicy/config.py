"""mkdocs.yml's settings that the status site may not have.

- `hooks:` and any plugin but the built-in search run Python code at every build
  (and Material's successor runs none, so the engine could not be swapped);
- a Markdown extension that is not known to read no file (pymdownx.snippets,
  markdown-include and the like copy any file of the computer that builds the site
  into a page); `INHERIT:` and a theme folder outside site/ read settings or
  templates from elsewhere;
- web fonts, `repo_url`, analytics, and style sheets, scripts, a logo or an icon
  from another host make every page request something from another site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sarflow.findings import Finding, Span, error
from sarflow.load import symbolic_link
from sarflow.load.yamlfile import YamlDocument, read_yaml
from sarflow.sitepolicy.hosts import elsewhere

CONFIG = "mkdocs.yml"
PLUGINS = ("search",)
# Python-Markdown's own extensions and PyMdown's that read no file. pymdownx.snippets and
# pymdownx.b64 read files, so they are not here; nor is any extension this list does not name.
EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables",
    "codehilite", "legacy_attrs", "legacy_em", "meta", "nl2br", "sane_lists", "smarty", "toc", "wikilinks",
    *(f"pymdownx.{name}" for name in (
        "arithmatex", "betterem", "blocks.admonition", "blocks.details", "blocks.tab", "caret", "critic",
        "details", "emoji", "escapeall", "highlight", "inlinehilite", "keys", "magiclink", "mark",
        "progressbar", "saneheaders", "smartsymbols", "striphtml", "superfences", "tabbed", "tasklist", "tilde",
    )),
})


def config_problems(root: Path) -> list[Finding]:
    path = root / CONFIG
    if path.is_symlink():
        return [symbolic_link(path, root)]
    if not path.is_file():
        return []  # the site's build says so; check has nothing to judge
    doc = read_yaml(path, CONFIG)
    if doc.findings or not isinstance(doc.data, dict):
        return doc.findings or [error("site-setting", "mkdocs.yml must be a list of settings (`name: value` lines)",
                                      Span(CONFIG), "start again from the example's mkdocs.yml")]
    settings = _Settings(doc, root)
    settings.code()
    settings.files()
    settings.requests()
    return settings.found


class _Settings:
    def __init__(self, doc: YamlDocument, root: Path) -> None:
        self.doc, self.root, self.data = doc, root, doc.data
        self.found: list[Finding] = []

    def report(self, code: str, message: str, path: tuple[str | int, ...], hint: str) -> None:
        self.found.append(error(code, message, self.doc.key_span(*path), hint))

    def code(self) -> None:
        """Hooks and plugins: Python run at build time."""
        if "hooks" in self.data:
            self.report("site-hooks", "`hooks:` runs the Python files it lists every time the site is built",
                        ("hooks",), "remove `hooks:` and what it lists; the status site carries no code of its own")
        for path, name in _named(self.data.get("plugins"), ("plugins",)):
            if name not in PLUGINS:
                self.report("site-plugin", f"the plugin `{name}` would run at every build; the status site uses "
                            "only MkDocs' built-in search", path, "remove it from `plugins:`")

    def files(self) -> None:
        """Settings that read files: Markdown extensions, INHERIT, the theme's folder."""
        for path, name in _named(self.data.get("markdown_extensions"), ("markdown_extensions",)):
            short = name.removeprefix("markdown.extensions.")
            if short not in EXTENSIONS:
                self.report("site-extension", f"the Markdown extension `{name}` is not one the status site allows: "
                            "only extensions known to read no file are (pymdownx.snippets, for one, copies files "
                            "of the computer that builds the site into its pages)", path,
                            "remove it; the extensions allowed are listed on the Help page under site-extension")
        if "INHERIT" in self.data:
            self.report("site-setting", "`INHERIT:` reads settings from another file", ("INHERIT",),
                        "copy the settings you need into mkdocs.yml and remove `INHERIT:`")
        theme = self.data.get("theme")
        folder = theme.get("custom_dir") if isinstance(theme, dict) else None
        site = (self.root / "site").resolve()
        if folder is not None and not (isinstance(folder, str) and (self.root / folder).resolve().is_relative_to(site)):
            self.report("site-setting", f"the theme's folder `{folder}` is outside site/", ("theme", "custom_dir"),
                        "keep the theme's templates in site/overrides and write `custom_dir: site/overrides`")

    def requests(self) -> None:
        """Settings that make every page fetch from another site."""
        theme = self.data.get("theme") if isinstance(self.data.get("theme"), dict) else {}
        extra = self.data.get("extra") if isinstance(self.data.get("extra"), dict) else {}
        if theme.get("font") is not False:
            self.report("site-outside-request", "the theme's fonts would be loaded from Google Fonts",
                        ("theme", "font") if "font" in theme else ("theme",),
                        "set `font: false` under `theme:` (the site uses the computer's own fonts)")
        if self.data.get("repo_url"):
            self.report("site-outside-request", "`repo_url` makes every page ask GitHub (or GitLab) for the "
                        "repository's details", ("repo_url",), "remove it: the status site requests nothing from another site")
        if extra.get("analytics"):
            self.report("site-outside-request", "`analytics` would send every visit to an analytics service",
                        ("extra", "analytics"), "remove it from `extra:`")
        for path, value in _addresses(self.data, theme):
            if elsewhere(value):
                self.report("site-outside-request", f"`{path[0] if path[0] != 'theme' else path[1]}` loads {value} "
                            "from another site", path, "copy the file into site/ and name it by its path there")


def _named(items: Any, where: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """The names in a plugins or markdown_extensions list (`- name` or `- name: {options}`), or mapping."""
    if isinstance(items, dict):
        return [((*where, name), str(name)) for name in items]
    found = []
    for n, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            found += [((*where, n, name), str(name)) for name in item]
        else:
            found.append(((*where, n), str(item)))
    return found


def _addresses(data: dict[str, Any], theme: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every address of a style sheet, script, logo or icon the settings name."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("extra_css", "extra_javascript"):
        listed = data.get(key)
        for n, value in enumerate(listed if isinstance(listed, list) else []):
            address = value.get("path") if isinstance(value, dict) else value
            if isinstance(address, str):
                found.append(((key, n, "path") if isinstance(value, dict) else (key, n), address))
    found += [(("theme", key), theme[key]) for key in ("logo", "favicon") if isinstance(theme.get(key), str)]
    return found
