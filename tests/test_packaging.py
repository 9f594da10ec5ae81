"""The package list in pyproject.toml covers every source folder, and templates ship."""

from __future__ import annotations

import tomllib

from conftest import REPO


def test_every_source_package_is_listed():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    src = REPO / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")}
    assert listed == found | {"anquan_cli.templates"}
    assert config["package-dir"]["anquan_cli.templates"] == "templates"


def test_templates_are_found_from_a_checkout():
    from anquan_cli.views.templates import packaged_dir

    d = packaged_dir()
    assert (d / "report-quarterly.md.j2").is_file() and (d / "report.docx").is_file()
