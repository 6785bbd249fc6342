"""The documentation says what the code does: the configuration keys and the layout are checked against the source."""

from __future__ import annotations

import ast

from articleaudio.settings import config_keys, declared_settings

from .conftest import ROOT

FIELDS = declared_settings()


def test_the_documented_config_keys_match_the_declarations() -> None:
    """docs/getting-started.md lists every key with its option and default; a setting added or changed shows there."""
    text = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] in config_keys():
            rows[cells[0]] = cells[2]
    expected = {}
    for d in FIELDS:
        default = d.shown_default
        expected[d.key] = "—" if default is None else (str(default).lower() if isinstance(default, bool) else str(default))
        if d.option.off:
            expected[d.option.off[2:].replace("-", "_")] = "false"
    assert rows == expected


def test_the_documented_layout_lists_every_module() -> None:
    """docs/development.md has a row for each module of the package, with its docstring's first line."""
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "articleaudio"
    for path in package.rglob("*.py"):
        first = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").split("\n")[0]
        assert first, f"{path.name} has no docstring"
        assert f"| `{path.relative_to(package)}` | {first} |" in text, path
