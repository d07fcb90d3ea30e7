"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (README: Deployment).

Slow clients: sync workers (gunicorn's default) serve one connection at a time, so one idle or
half-sent connection per worker stopped every page until the worker timed out (issue #28).
gthread workers wait for a new connection's first bytes outside their threads (a connection that
sends nothing is parked after 5 s) and serve THREADS requests at once, so a few slow clients
take a few threads, not the site. A request that stops half-way through its headers still holds
its thread until the client goes (gunicorn has no header timeout), so the reverse proxy must
buffer requests and responses (README: Deployment).
``bench/slow-clients`` measures the sign-in page with more such connections than workers.

Every setting can be changed by the environment variable named beside it.
"""

import os
import sys

wsgi_app = "surveyapp:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Requests served at once per worker. Threads waiting on a slow client cost little; one worker
# may accept most of a burst of slow connections, so it needs more threads than that burst.
threads = int(os.environ.get("GUNICORN_THREADS", "16"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a worker silent this long is restarted
graceful_timeout = 30  # seconds a stopping worker has to finish its requests
keepalive = 5  # seconds an idle kept-alive (or parked, never-sent) connection stays open

# Request header limits (gunicorn's defaults are 4094 / 100 / 8190): the app needs a short line
# and a few headers; a session cookie is well under 4 KB.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# gunicorn's control socket (gunicornc) sits at one path per user, shared by every instance on
# the machine; nothing here uses it.
control_socket_disable = True

# No access log by default: its lines carry raw paths, and a survey path is the customer's
# personal link token (SECURITY.md: logs never carry them). GUNICORN_ACCESS_LOG=- turns it on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def on_starting(server):
    """Refuse a configuration in the master, before any worker starts: one line and exit 1,
    instead of a traceback from every worker."""
    from surveyapp.config import refusal, settings_from_env
    from surveyapp.security.limits import storage_refusal

    reason = refusal(os.environ)
    settings = settings_from_env(os.environ, "instance")
    if reason is None and settings["ENV_NAME"] == "production" and settings["RATELIMIT_ENABLED"]:
        reason = storage_refusal(settings["RATELIMIT_STORAGE_URI"])
    if reason:
        print(f"surveyapp: refusing to start: {reason}", file=sys.stderr, flush=True)
        os._exit(1)  # SystemExit would be caught and logged as a traceback by the arbiter
