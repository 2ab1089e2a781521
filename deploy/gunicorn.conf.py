"""gunicorn's settings for the tracker: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``
(deploy/systemd/tracker.service). Each can be changed in the environment file
(deploy/tracker.env.example) without editing this one.

* Binds to 127.0.0.1 only: nginx on the same host is the way in (deploy/nginx/tracker.conf).
* ``preload_app``: the app is built once and the workers forked from it (the factory opens
  no database connection, so none is shared across the fork).
* No access log of gunicorn's own: the app writes one JSON line per request, with its
  request id, user id, route, status and duration (tracker/logs.py). gunicorn's own lines
  (start, stop, a worker timing out) are JSON too, through the same formatter.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A whole-England GIAS file takes about a minute to check on a small host.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
graceful_timeout = 30
keepalive = 5
preload_app = True
max_requests = 2000  # a worker is replaced now and then (memory of a large import)
max_requests_jitter = 200
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tracker.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
}
