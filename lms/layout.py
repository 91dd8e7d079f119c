"""What the layout of every page needs, worked out once per app instead of on every page."""
from flask import Flask, url_for

# The layout's fixed links: name in templates -> (endpoint, arguments).
LINKS = {
    "stylesheet": ("static", {"filename": "style.css"}),
    "home": ("learn.home", {}),
    "courses": ("learn.courses", {}),
    "progress": ("learn.my_progress", {}),
    "studio": ("studio.index", {}),
    "reports": ("reports.dashboard", {}),
    "people": ("people.index", {}),
    "logout": ("auth.logout", {}),
}


def register(app: Flask) -> None:
    """Give templates ``links``: the layout's addresses, built at the first page and kept."""
    @app.context_processor
    def layout_links():
        links = app.extensions.get("layout_links")
        if links is None:
            links = app.extensions["layout_links"] = {
                name: url_for(endpoint, **arguments) for name, (endpoint, arguments) in LINKS.items()}
        return {"links": links}
