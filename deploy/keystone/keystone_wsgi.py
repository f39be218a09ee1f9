"""Keystone's WSGI application for gunicorn (keystone parses sys.argv: drop gunicorn's)."""

import sys

sys.argv = sys.argv[:1]

from keystone.wsgi.api import application  # noqa: E402

__all__ = ["application"]
