"""``/`` the timeline of dated events, and its JSON twin (``/timeline.json`` or Accept: application/json)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from kb.sparql import best_match
from kb.timeline import TimelineEvent, by_year_and_month, timeline
from webapp.db import get_store

bp = Blueprint("timeline", __name__)


@bp.get("/")
def index() -> Response:
    """The timeline as HTML, or as JSON for a client that prefers it.

    :raises StoreError: the store cannot be opened.
    """
    events = timeline(get_store())
    if best_match(request.headers.get("Accept"), ("text/html", "application/json")) == "application/json":
        response = _as_json(events)
    else:
        html = render_template("timeline/index.html", years=by_year_and_month(events), count=len(events))
        response = Response(html, mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.get("/timeline.json")
def as_json() -> Response:
    """The timeline as JSON: ``{"events": [...]}`` in timeline order."""
    return _as_json(timeline(get_store()))


def _as_json(events: list[TimelineEvent]) -> Response:
    return jsonify(events=[event.as_dict() for event in events])
