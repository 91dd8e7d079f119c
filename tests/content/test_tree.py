"""Reading a courses/ folder into courses, modules, lessons and assets, and reporting what is wrong."""
import os
import re
from pathlib import Path

import pytest

from lms.content.tree import MAX_ASSET_BYTES, load_courses
from lms.documents.errors import ContentError
from tests.helpers import SQUARE_SVG

from .helpers import course_md, lesson_md, line_of, module_md, problems_of, write_tree


@pytest.fixture
def root(tmp_path):
    return tmp_path / "courses"


def valid_module(prefix: str = "01-m") -> dict[str, str]:
    return {f"{prefix}/module.md": module_md(), f"{prefix}/01-l.md": lesson_md()}


def under(folder: str, files: dict) -> dict:
    return {f"{folder}/{path}": text for path, text in files.items()}


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# --- structure, slugs and order ---------------------------------------------------------------------------

def test_slugs_and_order_come_from_number_prefixes(root):
    write_tree(root, {
        "02-beta/course.md": course_md("Beta"),
        **under("02-beta", valid_module()),
        "01-alpha/course.md": course_md("Alpha"),
        "01-alpha/10-late/module.md": module_md("Late"),
        "01-alpha/10-late/10-z.md": lesson_md("Z"),
        "01-alpha/10-late/2-a.md": lesson_md("A"),
        "01-alpha/10-late/no-number.md": lesson_md("No number"),
        **under("01-alpha", valid_module("2-early")),
    })
    courses = load_courses(root)
    assert [(c.slug, c.name, c.position) for c in courses] == [("alpha", "01-alpha", 1), ("beta", "02-beta", 2)]
    alpha = courses[0]
    assert [(m.slug, m.position) for m in alpha.modules] == [("early", 2), ("late", 10)]  # 2 before 10: numeric
    late = alpha.modules[1]
    assert [(lesson.slug, lesson.name, lesson.position) for lesson in late.lessons] == [
        ("no-number", "no-number.md", 0), ("a", "2-a.md", 2), ("z", "10-z.md", 10)]
    assert [lesson.title for lesson in late.lessons] == ["No number", "A", "Z"]


def test_order_key_overrides_the_prefix(root):
    write_tree(root, {
        "01-first/course.md": course_md(extra="order: 5\n"),
        **under("01-first", {
            "01-m/module.md": module_md(extra="order: 3\n"), "01-m/01-l.md": lesson_md(),
            "02-n/module.md": module_md(), "02-n/01-l.md": lesson_md(),
            "02-n/01-a.md": lesson_md(extra="order: 9\n"),
            "02-n/02-b.md": lesson_md(),
            "02-n/03-c.md": lesson_md(extra="order: 0\n"),
        }),
        "02-second/course.md": course_md(),
        **under("02-second", valid_module()),
    })
    first, second = sorted(load_courses(root), key=lambda c: c.slug)
    assert (first.position, second.position) == (5, 2)
    assert [c.slug for c in load_courses(root)] == ["second", "first"]
    assert [(m.slug, m.position) for m in first.modules] == [("n", 2), ("m", 3)]
    assert [(lesson.slug, lesson.position) for lesson in first.modules[0].lessons] == [
        ("c", 0), ("l", 1), ("b", 2), ("a", 9)]


def test_lesson_keeps_its_title_minutes_source_and_body(root):
    text = lesson_md("  Spaced title  ", 12, body="Line one.\n\nLine three.\n")
    write_tree(root, {"c/course.md": course_md(), "c/01-m/module.md": module_md(), "c/01-m/01-l.md": text})
    lesson = load_courses(root)[0].modules[0].lessons[0]
    assert (lesson.title, lesson.minutes, lesson.source) == ("Spaced title", 12, text)
    assert lesson.body == "Line one.\n\nLine three."
    assert text.splitlines()[lesson.body_line - 1] == "Line one."
    assert lesson.path == "courses/c/01-m/01-l.md"


def test_hidden_and_underscore_entries_are_skipped(root):
    write_tree(root, {
        "c/course.md": course_md(), **under("c", valid_module()),
        "c/01-m/.DS_Store": b"\x00\x01junk",
        "c/_drafts/module.md": "not even front matter",
        ".git/config": "[core]",
        "_templates/course.md": "nope",
    })
    courses = load_courses(root)
    assert [c.slug for c in courses] == ["c"] and [m.slug for m in courses[0].modules] == ["m"]
    assert courses[0].modules[0].assets == {}


@pytest.mark.parametrize("kind", ["lesson", "module", "course"])
def test_duplicate_slugs_are_reported_with_both_paths(root, kind):
    files = {"c/course.md": course_md(), **under("c", valid_module())}
    if kind == "lesson":
        files |= {"c/01-m/01-intro.md": lesson_md(), "c/01-m/02-intro.md": lesson_md()}
        first, second = "courses/c/01-m/01-intro.md", "courses/c/01-m/02-intro.md"
    elif kind == "module":
        files |= under("c", valid_module("01-basics")) | under("c", valid_module("03-basics"))
        first, second = "courses/c/01-basics/module.md", "courses/c/03-basics/module.md"
    else:
        files |= {"01-x/course.md": course_md(), **under("01-x", valid_module()),
                  "x/course.md": course_md(), **under("x", valid_module())}
        first, second = "courses/01-x/course.md", "courses/x/course.md"
    problems = problems_of(write_tree(root, files))
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.path == second and problem.line == 1
    assert f"duplicate {kind} slug" in problem.message and first in problem.message


@pytest.mark.parametrize("bad_name", ["01-Basics", "basics_one", "01 basics", "01-", "-basics", "01--basics", "é"])
@pytest.mark.parametrize("level", ["course", "module", "lesson"])
def test_bad_names_are_reported(root, bad_name, level):
    files = {"c/course.md": course_md(), **under("c", valid_module())}
    if level == "course":
        files |= {f"{bad_name}/course.md": course_md(), **under(bad_name, valid_module())}
        path = f"courses/{bad_name}"
    elif level == "module":
        files |= under("c", {f"{bad_name}/module.md": module_md(), f"{bad_name}/01-l.md": lesson_md()})
        path = f"courses/c/{bad_name}"
    else:
        files |= {f"c/01-m/{bad_name}.md": lesson_md()}
        path = f"courses/c/01-m/{bad_name}.md"
    problems = problems_of(write_tree(root, files))
    assert [(p.path, p.line) for p in problems] == [(path, 1)], messages(problems)
    assert f"'{bad_name}'" in problems[0].message and "lowercase" in problems[0].message


def test_missing_course_md_is_reported(root):
    write_tree(root, {**under("c", valid_module())})
    assert messages(problems_of(root)) == ["courses/c/course.md:1: missing file course.md"]


def test_missing_module_md_is_reported(root):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), "c/02-n/01-l.md": lesson_md()})
    assert messages(problems_of(root)) == ["courses/c/02-n/module.md:1: missing file module.md"]


@pytest.mark.parametrize("contents", [{}, {"pic.png": b"\x89PNG\r\n"}])
def test_module_without_lessons_is_reported(root, contents):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()),
                      "c/02-empty/module.md": module_md(), **under("c/02-empty", contents)})
    assert messages(problems_of(root)) == ["courses/c/02-empty/module.md:1: module has no lesson files"]


def test_course_without_modules_is_reported(root):
    write_tree(root, {"c/course.md": course_md(), "d/course.md": course_md(), **under("d", valid_module())})
    assert messages(problems_of(root)) == ["courses/c/course.md:1: course has no module folders"]


def test_missing_courses_folder_is_one_problem(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_courses(tmp_path / "nope")
    assert len(caught.value.problems) == 1 and "does not exist" in caught.value.problems[0].message


@pytest.mark.parametrize("files,expected", [
    ({"c/course.md": course_md(), "c/01-m/module.md": module_md(), "c/01-m/01-l.md": lesson_md(minutes="ten")},
     ["courses/c/01-m/01-l.md:3: 'minutes' must be a whole number"]),
    ({"c/course.md": course_md(), "c/01-m/01-l.md": lesson_md()},
     ["courses/c/01-m/module.md:1: missing file module.md"]),
])
def test_a_broken_only_child_is_not_reported_as_missing(root, files, expected):
    assert messages(problems_of(write_tree(root, files))) == expected


# --- lessons and assets -----------------------------------------------------------------------------------

@pytest.mark.parametrize("minutes", [0, -5])
def test_minutes_must_be_at_least_one(root, minutes):
    text = lesson_md(minutes=minutes)
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), "c/01-m/02-x.md": text})
    assert messages(problems_of(root)) == [
        f"courses/c/01-m/02-x.md:{line_of(text, 'minutes:')}: 'minutes' must be at least 1"]


@pytest.mark.parametrize("filename", ["notes.docx", "run.js", "page.html", "README", "movie.mp4", "01-x.MD",
                                      "data.json"])
def test_unsupported_asset_type_is_reported(root, filename):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), f"c/01-m/{filename}": b"data"})
    problems = problems_of(root)
    assert [(p.path, p.line) for p in problems] == [(f"courses/c/01-m/{filename}", 1)]
    assert "unsupported file type" in problems[0].message


def test_supported_assets_are_loaded_with_their_content_type(root):
    kinds = {"a.png": "image/png", "b.jpg": "image/jpeg", "c.jpeg": "image/jpeg", "d.gif": "image/gif",
             "e.webp": "image/webp", "f.svg": "image/svg+xml", "g.pdf": "application/pdf", "H.PNG": "image/png"}
    data = {name: (SQUARE_SVG.encode() if name.endswith(".svg") else name.encode() * 3) for name in kinds}
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()),
                      **{f"c/01-m/{name}": content for name, content in data.items()}})
    assets = load_courses(root)[0].modules[0].assets
    assert {name: a.content_type for name, a in assets.items()} == kinds
    assert all(assets[name].data == data[name] for name in kinds)


def test_asset_larger_than_the_limit_is_reported(root):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()),
                      "c/01-m/big.pdf": b"%" * (MAX_ASSET_BYTES + 1), "c/01-m/ok.pdf": b"%" * MAX_ASSET_BYTES})
    problems = problems_of(root)
    assert [(p.path, p.line) for p in problems] == [("courses/c/01-m/big.pdf", 1)]
    assert "larger than" in problems[0].message


UNSAFE_SVGS = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "upper-case script": '<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>',
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "onclick on a child": '<svg xmlns="http://www.w3.org/2000/svg">\n<rect\nonclick="alert(1)" width="1"/></svg>',
    "javascript link": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                        '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    "foreignObject": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/'
                      'xhtml">x</div></foreignObject></svg>'),
}


@pytest.mark.parametrize("svg", UNSAFE_SVGS.values(), ids=UNSAFE_SVGS.keys())
def test_svg_with_script_is_refused(root, svg):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), "c/01-m/evil.svg": svg,
                      "c/01-m/fine.svg": SQUARE_SVG})
    problems = problems_of(root)
    assert [(p.path, p.line) for p in problems] == [("courses/c/01-m/evil.svg", 1)]
    assert "SVG" in problems[0].message


SNEAKY_SVGS = {
    "namespace-prefixed script": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg">'
                                  '<s:script>alert(1)</s:script></svg>'),
    "entity-encoded javascript:": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                                   'xlink"><a xlink:href="&#106;avascript:alert(1)"><text>x</text></a></svg>'),
    "UTF-16 file": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'.encode("utf-16"),
}


@pytest.mark.parametrize("svg", SNEAKY_SVGS.values(), ids=SNEAKY_SVGS.keys())
def test_svg_with_a_disguised_script_is_refused(root, svg):
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), "c/01-m/evil.svg": svg})
    assert [(p.path, p.line) for p in problems_of(root)] == [("courses/c/01-m/evil.svg", 1)]


def test_svg_with_the_standard_doctype_is_accepted(root):
    svg = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SQUARE_SVG)
    write_tree(root, {"c/course.md": course_md(), **under("c", valid_module()), "c/01-m/chart.svg": svg})
    assert list(load_courses(root)[0].modules[0].assets) == ["chart.svg"]


@pytest.mark.parametrize("name", ["01-m/02-latin1.md", "01-m/module.md", "course.md"])
def test_non_utf8_file_is_reported(root, name):
    files = {"c/course.md": course_md(), **under("c", valid_module()), **under("c", valid_module("02-n"))}
    files[f"c/{name}"] = lesson_md("Café", body="Déjà vu.\n").encode("latin-1")
    problems = problems_of(write_tree(root, files))
    assert [(p.path, p.line) for p in problems] == [(f"courses/c/{name}", 1)]
    assert "not UTF-8" in problems[0].message


# --- many problems, and how they read ---------------------------------------------------------------------

def test_every_problem_in_every_file_is_reported_at_once(root):
    bad_course = course_md(extra="colour: red\n")
    bad_minutes = lesson_md(minutes="ten")
    bad_yaml = "---\ntitle: Fine\nminutes: 3\nsummary: a: b\n---\n"
    write_tree(root, {
        "a/course.md": bad_course,
        **under("a", valid_module()),
        "a/01-m/02-x.md": bad_minutes,
        "a/01-m/notes.txt": "todo",
        "a/02-n/01-l.md": lesson_md(),                     # no module.md
        **under("a", valid_module("03-o")),
        "b/course.md": course_md(),
        **under("b", valid_module()),
        "b/01-m/02-y.md": bad_yaml,
        "b/01-m/03-intro.md": lesson_md(), "b/01-m/04-intro.md": lesson_md(),
        "b/Bad-Module/module.md": module_md(), "b/Bad-Module/01-l.md": lesson_md(),
    })
    with pytest.raises(ContentError) as caught:
        load_courses(root)
    problems = caught.value.problems
    assert [(p.path, p.line) for p in problems] == sorted([
        ("courses/a/course.md", line_of(bad_course, "colour:")),
        ("courses/a/01-m/02-x.md", line_of(bad_minutes, "minutes:")),
        ("courses/a/01-m/notes.txt", 1),
        ("courses/a/02-n/module.md", 1),
        ("courses/b/01-m/02-y.md", line_of(bad_yaml, "a: b")),
        ("courses/b/01-m/04-intro.md", 1),
        ("courses/b/Bad-Module", 1),
    ]), messages(problems)
    assert str(caught.value).splitlines() == messages(problems)


def test_messages_read_path_line_message_relative_to_the_roots_parent(tmp_path, monkeypatch):
    text = course_md(extra="colour: red\n")
    files = {"x/course.md": text, **under("x", valid_module())}
    expected = rf"^courses/x/course\.md:{line_of(text, 'colour:')}: unknown key 'colour' \(known keys: .*\)$"
    absolute = write_tree(tmp_path / "courses", files)
    monkeypatch.chdir(tmp_path)
    for root in (absolute, tmp_path / "courses", os.path.relpath(absolute)):
        [message] = messages(problems_of(Path(root)))
        assert re.match(expected, message), message
        assert str(tmp_path) not in message


def test_the_root_folders_own_name_starts_the_path(tmp_path):
    root = write_tree(tmp_path / "curriculum", {"x/course.md": course_md(extra="colour: red\n"),
                                                **under("x", valid_module())})
    assert [p.path for p in problems_of(root)] == ["curriculum/x/course.md"]


def test_files_the_loader_would_ignore_are_reported(tmp_path):
    files = {
        "c/course.md": "---\ntitle: C\nsummary: S\n---\n",
        "c/stray-lesson.md": "---\ntitle: L\nminutes: 2\n---\n",
        "c/01-m/module.md": "---\ntitle: M\nsummary: S\n---\n",
        "c/01-m/01-l.md": "---\ntitle: L\nminutes: 2\n---\n",
        "c/01-m/images/pic.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "c/01-m/_notes/draft.md": "ignored on purpose",
    }
    for name, text in files.items():
        (tmp_path / "courses" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "courses" / name).write_text(text)
    with pytest.raises(ContentError) as error:
        load_courses(tmp_path / "courses")
    assert sorted(p.path for p in error.value.problems) == ["courses/c/01-m/images", "courses/c/stray-lesson.md"]
