"""Dependencies between the parts of ``lms`` run one way: no two parts import each other.

A part is a subpackage (``lms/quizzes``) or a top-level module (``lms/cli.py``). Every import counts,
including one inside a function (a deferred import is still a dependency); only imports under
``if TYPE_CHECKING:`` are exempt, because they never run.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lms

PACKAGE = Path(lms.__file__).parent
# Pure pieces at the bottom: no Flask, no database, and of the app only each other.
PURE = {"documents": {"documents"}, "questions": {"documents", "questions"}}
FRAMEWORKS = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "wtforms")


def module_name(path: Path) -> str:
    """``lms/quizzes/views.py`` -> ``lms.quizzes.views``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    """Whether ``lms.x.y`` names a module or package of ours (not a function or class in one)."""
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative / "__init__.py").exists()


def type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """Import nodes that sit under ``if TYPE_CHECKING:``."""
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            exempt |= {child for body in node.body for child in ast.walk(body)}
    return exempt


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module this file imports, absolute, with the line of the import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    exempt = type_checking_only(tree)
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if node in exempt:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append((target if base.startswith("lms") and is_module(target) else base, node.lineno))
    return found


def part_of(dotted: str) -> str | None:
    """The part of ``lms`` a module belongs to (``lms.quizzes.views`` -> ``quizzes``); None outside it."""
    pieces = dotted.split(".")
    if pieces[0] != "lms":
        return None
    return pieces[1] if len(pieces) > 1 else "lms"


def dependencies() -> dict[tuple[str, str], list[str]]:
    """(from part, to part) -> the ``file:line`` places that make that dependency."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = part_of(module_name(path))
        for target, line in imports_of(path):
            target_part = part_of(target)
            place = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if target_part and target_part != source and place not in edges.get((source, target_part), []):
                edges.setdefault((source, target_part), []).append(place)
    return edges


def test_the_walker_sees_deferred_relative_and_package_imports():
    """The test below is only as good as the import reader: check it on files we know."""
    learn_views = dict(imports_of(PACKAGE / "learn" / "views.py"))
    assert "lms.catalogue" in learn_views  # from .. import catalogue
    assert "lms.progress.completion" in learn_views
    edges = dependencies()
    assert ("lms", "cli") in edges  # the factory registers the commands, inside a function
    assert ("quizzes", "questions") in edges


def test_no_two_parts_of_lms_import_each_other():
    edges = dependencies()
    both_ways = [f"{a} <-> {b}: {a} imports {b} at {', '.join(edges[a, b])}; "
                 f"{b} imports {a} at {', '.join(edges[b, a])}"
                 for (a, b) in edges if a < b and (b, a) in edges]
    assert not both_ways, "\n".join(both_ways)


def test_nothing_imports_the_app_factory():
    importers = [place for (source, target), places in dependencies().items() if target == "lms" for place in places]
    assert not importers, importers


@pytest.mark.parametrize("part", sorted(PURE))
def test_pure_parts_use_no_framework_and_no_app_part_above_them(part):
    allowed = PURE[part]
    problems = []
    for path in sorted((PACKAGE / part).rglob("*.py")):
        for target, line in imports_of(path):
            outside = target.split(".")[0] in FRAMEWORKS
            above = part_of(target) not in (None, *allowed)
            if outside or above:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not problems, "\n".join(problems)
