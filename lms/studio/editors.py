"""The editor pages' request flow: Preview renders without saving, Save keeps a revision or explains why not.

Shared by the course, module, lesson and quiz editors in ``views.py``. A refused save rolls back
and shows the trainer's own text again, with the problems by line or the edit-conflict panel.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..content.sync import text_hash
from ..database.transactions import write_transaction
from ..documents.errors import ContentError
from ..extensions import db
from . import lookups, revisions
from .diffs import diff_lines
from .editing import add_errors, page_fields, page_text, place_problems, quiz_preview, quiz_problems, studio_links
from .pages import check_page, check_quiz, page_path

REFUSED = 422  # the form is shown again with the problems; nothing was saved
CONFLICT = 409


def run(form, text: str, action, commit: bool = True):
    """Call a service and commit; on ContentError roll back, show the problems on the form, return None."""
    try:
        result = action()
    except ContentError as exc:
        db.session.rollback()
        add_errors(form, place_problems(exc.problems, text))
        return None
    if commit:
        db.session.commit()
    return result


def render_then_write(form, text: str, check, write):
    """``check()`` (validate and render) in the reading transaction, then ``write(checked)`` in a short
    writing one, so a slow text holds no lock (SQLite has one for the whole database). Like ``run``."""
    checked = run(form, text, check, commit=False)
    if checked is None:
        return None
    with write_transaction():
        return run(form, text, lambda: write(checked), commit=False)


def locked(row):
    """The row re-read and locked until the commit, so two saves cannot both pass the conflict check."""
    model = type(row)
    db.session.execute(select(model.id).where(model.id == row.id).with_for_update())
    db.session.refresh(row)  # read after the lock: the text another save may just have committed
    return row


def owner(row) -> dict:
    """The course and module a page belongs to, as template variables."""
    course, module = lookups.owner_of(row)
    return {"course": course, "module": module}


def _conflict(form, exc: revisions.EditConflict, text: str) -> dict:
    db.session.rollback()
    form.base_hash.data = text_hash(exc.current)  # saving again now is a deliberate overwrite
    return {"current": exc.current, "mine": text, "diff": diff_lines(exc.current, text)}


def _status(form, conflict) -> int:
    return CONFLICT if conflict else (REFUSED if form.errors else 200)


def edit_page(row, form_class):
    """Show a page's editor; Preview renders the form's text without saving, Save keeps it as a revision."""
    kind = lookups.kind_of(row)
    form, preview, conflict = form_class(), None, None
    if request.method == "GET":
        form.process(data=page_fields(kind, row.source), base_hash=text_hash(row.source))
    elif form.validate_on_submit():
        values = {name: form[name].data for name in ("title", "body", "summary", "minutes") if name in form}
        text = page_text(kind, row.draft, order=page_fields(kind, row.source).get("order"), **values)
        if form.preview.data:
            course, module = lookups.owner_of(row)
            path = page_path(kind, course, module, getattr(row, "filename", ""))
            preview = run(form, text, lambda: studio_links(check_page(kind, path, text, row.slug, row.position)[1]),
                          commit=False)
        elif text == row.source:  # nothing to save, and nobody's text to overwrite
            flash("Nothing changed since the last save.", "success")
            return redirect(request.path)
        else:
            try:
                render_then_write(form, text, lambda: revisions.check_row_page(row, text),
                                  lambda checked: revisions.save_page(locked(row), text, current_user.id,
                                                                      form.base_hash.data or "", checked=checked))
            except revisions.EditConflict as exc:
                conflict = _conflict(form, exc, text)
            if conflict is None and not form.errors:
                flash(f"Saved “{row.title}”. The previous text is kept in its history.", "success")
                return redirect(request.path)
    return render_template("studio/editor.html", row=row, kind=kind, form=form, preview=preview,
                           conflict=conflict, **owner(row)), _status(form, conflict)


def edit_quiz(module, form):
    """The quiz editor: the whole file text; a module without a quiz starts from a small example."""
    quiz = lookups.module_quiz(module)
    preview = conflict = None
    renamed: tuple[str, ...] = ()
    if request.method == "GET":
        form.process(data={"body": quiz.source if quiz else _starter_quiz(module)},
                     base_hash=text_hash(quiz.source) if quiz else "")
    elif form.validate_on_submit():
        text = form.body.data
        filename = quiz.filename.rsplit("/", 1)[-1] if quiz else f"{module.slug}.{form.format.data}"
        try:
            if form.preview.data:
                spec, stored = check_quiz(quiz, module.course, module, filename, text)
                preview, renamed = quiz_preview(spec, stored), spec.renamed
            else:
                checked = check_quiz(quiz, module.course, module, filename, text)  # rendered before the write
                with write_transaction():
                    quiz = revisions.save_quiz(module, quiz and locked(quiz), text, current_user.id,
                                              form.base_hash.data or "", filename, checked=checked)
                flash(f"Saved the quiz “{quiz.title}”.", "success")
                return redirect(request.path)
        except ContentError as exc:
            db.session.rollback()
            form.body.errors = [*form.body.errors, *quiz_problems(exc.problems)]
        except revisions.EditConflict as exc:
            conflict = _conflict(form, exc, text)
    return render_template("studio/quiz.html", quiz=quiz, module=module, course=module.course, form=form,
                           preview=preview, renamed=renamed, conflict=conflict), _status(form, conflict)


def _starter_quiz(module) -> str:
    return (f'---\ntitle: "{module.title} check"\npass_mark: 80\n---\n\n'
            "## Write the first question here\n\n- [x] The right answer\n- [ ] A wrong answer\n")
