"""Serving concerns with no knowledge of the page: security headers, the export gate, gunicorn."""
