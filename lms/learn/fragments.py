"""Rendered pieces of learner pages, kept by each worker and keyed by everything they show.

A course outline lists every lesson with the learner's progress; rendering it was most of the course
page's cost. Learners at the same point of a course, and a learner reloading the page, get the same
HTML, so it is rendered once per distinct key (which must determine everything the template shows)
and reused until the content or the learner's progress changes the key.
"""
from __future__ import annotations

from collections.abc import Hashable

from flask import current_app, render_template
from markupsafe import Markup

LIMIT = 2000  # pieces per worker; a few MB at most. The store starts over when full.


def rendered(template: str, key: Hashable, **context) -> Markup:
    """``template`` rendered with ``context``, reused for as long as ``key`` is the same."""
    store = current_app.extensions.setdefault("rendered_fragments", {})
    html = store.get((template, key))
    if html is None:
        if len(store) >= LIMIT:
            store.clear()
        html = store[(template, key)] = Markup(render_template(template, **context))
    return html
