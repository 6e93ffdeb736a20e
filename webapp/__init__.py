"""The web application: ``/sparql`` (SPARQL 1.1 Protocol and a query page), the timeline ``/``,
the KB's dereferenceable IRIs (``/id/...``, ``/graph/...``), its VoID description and dumps.

A thin shell over :mod:`kb`: a route reads the request, calls one ``kb`` function, and renders
or serialises the result.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from kb.config import Settings
from webapp import (
    dataset,
    db,
    errors,
    linkeddata,
    request_limits,
    resources,
    security,
    sparql,
    timeline,
    vocabulary,
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app. ``config`` overrides the defaults taken from the environment.

    Keys: the environment variables of :class:`kb.config.Settings` (``KB_STORE``, ``KB_BASE_IRI``,
    the query limits, ``KB_MAX_REQUEST_BYTES``, ``KB_UPDATE_TOKEN``), plus any Flask setting such
    as ``TESTING``.
    """
    app = Flask(__name__)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config.from_mapping(Settings.from_env().as_config())
    if config:
        app.config.from_mapping(config)

    db.init_app(app)
    errors.init_app(app)
    request_limits.init_app(app)
    security.init_app(app)
    app.add_template_global(linkeddata.local_url)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(dataset.bp)
    app.register_blueprint(vocabulary.bp)
    return app
