"""Logs never carry the query string of a request.

A GraphQL request sent by GET carries its whole document and variables in the query string (a grievance reporter's
name, say), and GraphiQL keeps them in its page's address, which browsers then send as the Referer of each request
the page makes. Refused or not, such a request must not leave them in a log: request lines, paths and referrers are
written without their query strings, by gunicorn (GunicornLogger, set in backend/gunicorn.conf.py) and by Django's
own loggers (WithoutQueryStrings, a filter in settings.LOGGING).
"""

import logging
import re

from gunicorn.glogging import Logger

# A path (or URL) followed by "?" and its query string, up to the next space or quote.
PATH_WITH_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
# gunicorn's access-log atoms that are nothing but a query string.
QUERY_STRING_ATOMS = frozenset({"q", "{query_string}e"})


def without_query_strings(text: str) -> str:
    """`text` with every "path?query" cut back to "path"."""
    return PATH_WITH_QUERY.sub(r"\1", text)


def scrubbed(value):
    return without_query_strings(value) if isinstance(value, str) else value


class WithoutQueryStrings(logging.Filter):
    """Cuts query strings out of a record's message and arguments (runserver's request lines, for instance)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrubbed(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: scrubbed(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(scrubbed(value) for value in record.args)
        return True


class GunicornLogger(Logger):
    """gunicorn's logger, whose access log (whatever its format) and error log never write a query string."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        if not any(isinstance(existing, WithoutQueryStrings) for existing in self.error_log.filters):
            self.error_log.addFilter(WithoutQueryStrings())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: "-" if key in QUERY_STRING_ATOMS else scrubbed(value) for key, value in atoms.items()}
