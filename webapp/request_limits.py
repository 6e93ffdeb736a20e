"""Checks every request passes before a route sees it: a body no larger than ``KB_MAX_REQUEST_BYTES``
(else 413) and an Accept header that is a well-formed list of media ranges (else 400).

Without the second, a malformed header would be read as "accept anything" by one page and as
"accept nothing" by another; with it, the client learns what is wrong with the header.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from kb.sparql import check_accept


def init_app(app: Flask) -> None:
    app.before_request(check_request)


def check_request() -> None:
    """:raises RequestEntityTooLarge: the body is longer than ``KB_MAX_REQUEST_BYTES`` (0: no limit).
    :raises MalformedAccept: see :func:`kb.sparql.check_accept`."""
    limit = int(current_app.config["KB_MAX_REQUEST_BYTES"])
    size = request.content_length
    if limit and size is not None and size > limit:
        raise RequestEntityTooLarge(
            f"the request body is {size:,} bytes; this server reads at most {limit:,} "
            "(its setting KB_MAX_REQUEST_BYTES). Send a shorter query, or run a long one with "
            "`kb query` next to the store."
        )
    check_accept(request.headers.get("Accept"))
