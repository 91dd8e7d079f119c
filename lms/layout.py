"""What the layout of every page needs, worked out once per app instead of on every page."""
from flask import Flask, url_for

from .auth.permissions import can_author, can_learn, can_report
from .people.permissions import can_manage_people

# The layout's fixed links: name in templates -> (endpoint, arguments).
LINKS = {
    "stylesheet": ("static", {"filename": "style.css"}),
    "home": ("learn.home", {}),
    "courses": ("learn.courses", {}),
    "progress": ("learn.my_progress", {}),
    "studio": ("studio.index", {}),
    "reports": ("reports.dashboard", {}),
    "cohorts": ("rounds.index", {}),
    "people": ("people.index", {}),
    "logout": ("auth.logout", {}),
}

# The permission questions templates ask, e.g. which links the menu shows: can_learn(current_user).
PREDICATES = {"can_learn": can_learn, "can_author": can_author, "can_report": can_report,
              "can_manage_people": can_manage_people}


def register(app: Flask) -> None:
    """Give templates the ``can_*`` predicates, and ``links``: the layout's addresses, built once and kept."""
    app.jinja_env.globals.update(PREDICATES)

    @app.context_processor
    def layout_links():
        links = app.extensions.get("layout_links")
        if links is None:
            links = app.extensions["layout_links"] = {
                name: url_for(endpoint, **arguments) for name, (endpoint, arguments) in LINKS.items()}
        return {"links": links}
