"""Read the ``quizzes/`` folder: one quiz per module, at ``quizzes/<course>/<module>.md`` or ``.gift``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..documents.errors import ContentError, Problem
from ..questions import QuizSpec, parse_quiz
from .tree import CourseDir

QUIZ_SUFFIXES = (".md", ".gift")
PLACE = "quiz files go in quizzes/<course>/<module>.md or .gift"


@dataclass
class QuizFile:
    """A parsed quiz file and the module it belongs to."""

    course: str
    module: str
    path: str  # relative to the quizzes folder, e.g. "digital-diplomacy/content-planning.md"
    source: str
    spec: QuizSpec


def load_quizzes(root: Path, courses: list[CourseDir]) -> list[QuizFile]:
    """Parse every quiz file under ``root`` and tie it to its module; raise ContentError listing all problems."""
    if not root.is_dir():
        return []
    modules = {(c.slug, m.slug) for c in courses for m in c.modules}
    problems: list[Problem] = []
    quizzes: dict[tuple[str, str], QuizFile] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not _ignored(p, root)):
        quiz = _load(path, root, modules, problems)
        if quiz is None:
            continue
        key = (quiz.course, quiz.module)
        if key in quizzes:
            problems.append(Problem(_shown(path, root), 1, f"module '{quiz.module}' already has a quiz: "
                                                          f"{root.name}/{quizzes[key].path}"))
            continue
        quizzes[key] = quiz
    if problems:
        raise ContentError(problems)
    return list(quizzes.values())


def _ignored(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(part.startswith((".", "_")) for part in parts) or (len(parts) == 1 and path.suffix != ".gift"
                                                                  and path.name.lower() == "readme.md")


def _shown(path: Path, root: Path) -> str:
    return str(Path(root.name) / path.relative_to(root))


def _load(path: Path, root: Path, modules: set, problems: list[Problem]) -> QuizFile | None:
    shown = _shown(path, root)
    parts = path.relative_to(root).parts
    if path.suffix not in QUIZ_SUFFIXES or len(parts) != 2:
        problems.append(Problem(shown, 1, PLACE))
        return None
    course, module = parts[0], path.stem
    if (course, module) not in modules:
        problems.append(Problem(shown, 1, f"no module '{module}' in course '{course}' ({PLACE})"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        spec = parse_quiz(shown, text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, f"file is not UTF-8 text ({exc.reason})"))
        return None
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    return QuizFile(course, module, "/".join(parts), text, spec)
