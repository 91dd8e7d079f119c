"""The words of reminders and digests, and the links in them when PUBLIC_URL is set."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import current_app

ACADEMY = "the Digital Diplomacy Academy"
OVERDUE_LINES = 500  # a digest lists this many people at most, then says how many more


def public_link(endpoint: str, **values) -> str | None:
    """The full address of a page from PUBLIC_URL, or None without it (a worker has no request to ask)."""
    public = current_app.config["PUBLIC_URL"]
    if not public:
        return None
    parts = urlsplit(public)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _where(email: str, link: str | None) -> str:
    if link:
        return f"Continue here: {link}"
    return (f"Sign in to {ACADEMY} at the address your training coordinator gave you, "
            f"with your email address {email}, and open the course from Home.")


def reminder_subject(title: str, due_on: date) -> str:
    """The issue's subject line, exactly."""
    return f"Reminder: {title} is due on {due_on.isoformat()}"


def reminder_body(name: str, email: str, title: str, slug: str, due_on: date, overdue: bool) -> str:
    """A reminder: the course, its due date, and where to continue."""
    when = (f"was due on {due_on.isoformat()} and is not finished yet" if overdue
            else f"is due on {due_on.isoformat()}")
    link = public_link("learn.course", course_slug=slug)
    progress = public_link("learn.my_progress")
    stop = f"on your My progress page ({progress})" if progress else "on your My progress page"
    return (f"Hello {name},\n\nThe course \"{title}\" {when}.\n\n{_where(email, link)}\n\n"
            f"You can turn these reminders off {stop}.\n")


def digest_subject(week: str, count: int) -> str:
    """A digest's subject: the ISO week and how many are overdue."""
    return f"Overdue learners, week {week}: {count}"


def digest_body(name: str, by_mission: dict[str, list[tuple[str, str, date]]]) -> str:
    """Overdue people grouped by mission: name, course and due date."""
    lines, shown = [f"Hello {name},", "", "These learners in your regions are past a due date:", ""], 0
    total = sum(len(rows) for rows in by_mission.values())
    for mission, rows in by_mission.items():
        if shown >= OVERDUE_LINES:
            break
        lines.append(mission)
        for person, title, due_on in rows[:OVERDUE_LINES - shown]:
            lines.append(f"  - {person}: {title}, due {due_on.isoformat()}")
            shown += 1
        lines.append("")
    if total > shown:
        lines += [f"... and {total - shown} more.", ""]
    dashboard = public_link("reports.dashboard")
    lines.append(f"The dashboard shows them all: {dashboard}" if dashboard
                 else f"The dashboard on {ACADEMY} shows them all.")
    return "\n".join(lines) + "\n"
