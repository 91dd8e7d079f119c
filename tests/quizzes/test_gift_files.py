"""GIFT files end to end: an import with shared names reports the keys it gave, and export-gift writes quizzes out."""
from __future__ import annotations

from lms.questions import parse_gift, parse_quiz
from tests.content.helpers import one_lesson_tree, write_tree

from ..questions.test_gift_export import as_gift_keeps

SHARED_NAMES = "::greeting::Formal? {T}\n\n::greeting::Informal? {F}\n\n$CATEGORY: pool/a\n\n::essay::Why? {}\n"


def test_import_summary_lists_questions_keyed_for_a_shared_name(runner, tmp_path):
    write_tree(tmp_path / "courses", one_lesson_tree("Text.\n"))
    write_tree(tmp_path / "quizzes", {"c/m.gift": SHARED_NAMES})
    result = runner.invoke(args=["import-content", "--courses", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output
    keys = [q.key for q in parse_gift("m.gift", SHARED_NAMES).questions]
    assert f"quizzes/c/m.gift:1: 'greeting' is shared by 2 questions; this one has key '{keys[0]}'" in result.output
    assert f"quizzes/c/m.gift:3: 'greeting' is shared by 2 questions; this one has key '{keys[1]}'" in result.output


def test_export_gift_by_module_and_by_course_and_module(runner, quiz_content):
    by_module = runner.invoke(args=["export-gift", "basics"])
    assert by_module.exit_code == 0, by_module.output
    assert runner.invoke(args=["export-gift", "intro-course/basics"]).output == by_module.output
    stored = parse_quiz(str(quiz_content / "intro-course" / "basics.md"),
                        (quiz_content / "intro-course" / "basics.md").read_text())
    assert parse_gift("basics.gift", by_module.output).questions == tuple(as_gift_keeps(q) for q in stored.questions)
    assert "// [id:best-post]" in by_module.output


def test_export_gift_from_a_file(runner, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(SHARED_NAMES)
    result = runner.invoke(args=["export-gift", str(path)])
    assert result.exit_code == 0, result.output
    assert parse_gift("again.gift", result.output).questions == parse_gift("bank.gift", SHARED_NAMES).questions


def test_export_gift_refuses_unknown_quizzes_and_broken_files_with_their_lines(runner, quiz_content, tmp_path):
    unknown = runner.invoke(args=["export-gift", "no-such-module"])
    assert unknown.exit_code == 1 and "no quiz for module 'no-such-module'" in unknown.output
    broken = tmp_path / "broken.gift"
    broken.write_text("::a::A {T}\n\n::b::B {=x ~y\n")
    result = runner.invoke(args=["export-gift", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:3: '{{' is not closed by '}}'" in result.output
    assert "nothing was exported" in result.output
