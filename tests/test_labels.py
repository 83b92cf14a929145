""""year unknown" and "date unknown" have one home (``needs_tracker.labels``): the dashboard, the
charts and the exports import them, so the page, the chart and the file say the same words. A module
that spells one of them out again, or a home that starts importing the package, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from needs_tracker import labels

PACKAGE = Path(labels.__file__).resolve().parent
WORDS = {labels.YEAR_UNKNOWN, labels.DATE_UNKNOWN}


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are exactly one of the words (docstrings and longer
    sentences that mention them are prose, not a second definition)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() in WORDS]


def test_no_module_but_labels_spells_the_words_out():
    found = {f"{path.relative_to(PACKAGE)}:{line}": value for path in sorted(PACKAGE.rglob("*.py"))
             if path.name != "labels.py" for line, value in _literals(path)}
    assert found == {}


def test_labels_imports_nothing_of_the_package_so_every_layer_may_import_it():
    tree = ast.parse(Path(labels.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {"." for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert imported == {"__future__", "pandas"}


@pytest.mark.parametrize(("value", "text"), [
    (2018, "2018"), (2018.0, "2018"), (None, "year unknown"), (float("nan"), "year unknown"),
    (pd.NA, "year unknown"), (pd.Series([2012], dtype="Int64")[0], "2012"),
])
def test_year_text(value, text):
    assert labels.year_text(value) == text


def test_the_chart_the_exports_and_the_page_use_the_one_home():
    from needs_tracker import figures
    from needs_tracker.export import brief, brief_assistance, data, matching_format, xlsx_format

    for module in (figures, brief, brief_assistance, matching_format, xlsx_format, data):
        for name in ("YEAR_UNKNOWN", "DATE_UNKNOWN", "year_text"):
            if name in vars(module):
                assert getattr(module, name) is getattr(labels, name), (module.__name__, name)
