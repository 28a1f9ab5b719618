"""Gunicorn's settings for the site (docs/deploy.md):

    DJANGO_SETTINGS_MODULE=cqctp.settings.production gunicorn -c site/gunicorn.conf.py cqctp.wsgi

(cqctp.wsgi already defaults to the production settings.) From the environment:

  BIND              where to listen, e.g. 127.0.0.1:8000, 0.0.0.0:8000 or unix:/run/cqctp/web.sock
                    (several: comma-separated). Default: 127.0.0.1 on PORT.
  PORT              the port when BIND is not given (default 8000). Only 127.0.0.1 then: the
                    site trusts X-Forwarded-For from its proxy (PROXY_COUNT), so gunicorn must
                    not be reachable except through it; say BIND=0.0.0.0:$PORT on purpose.
  WEB_CONCURRENCY   worker processes (default: 2 per CPU + 1, at most 8). Each holds one
                    persistent database connection (DB_CONN_MAX_AGE).
  ACCESS_LOG        "-" (default, the standard output: journald), a file path, or "off".

Anything else can be changed without editing this file through GUNICORN_CMD_ARGS, which
gunicorn reads after it, e.g. GUNICORN_CMD_ARGS="--max-requests 5000 --timeout 60".
"""

import multiprocessing
import os
import re

from gunicorn import glogging


def _refuse(name, expected, value):
    raise ValueError(f"{name} must be {expected} (got {value!r}); see docs/deploy.md.")


def _whole_number(name, default, minimum, maximum):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not minimum <= int(value) <= maximum:
        _refuse(name, f"a whole number from {minimum} to {maximum}", value)
    return int(value)


def _bind():
    addresses = [part.strip() for part in os.environ.get("BIND", "").split(",") if part.strip()]
    if addresses:
        return addresses
    return [f"127.0.0.1:{_whole_number('PORT', 8000, 1, 65535)}"]


def _access_log():
    value = os.environ.get("ACCESS_LOG", "-").strip() or "-"
    return None if value.lower() == "off" else value


bind = _bind()
# Sync workers: nginx (or the load balancer) buffers slow clients, so a worker is busy only
# while Django works; 2 per CPU + 1 covers the time they wait on the database. The cap bounds
# memory (~150 MB each) and database connections (workers × servers ≤ max_connections).
workers = _whole_number("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8), 1, 64)
worker_class = "sync"
# A request still running after 30 s is killed (and logged): no page of the site takes that
# long; exports of a whole season are the slowest. On a stop or a reload, requests in flight
# get 30 s to finish.
timeout = 30
graceful_timeout = 30
# No preload: each worker imports the site itself. Then `systemctl reload` (SIGHUP) starts
# workers on the new code after a deploy while the old ones finish their requests (no request
# is refused), and no database or Redis socket opened while importing can end up shared by
# forked workers. What preload would save (a second of start and some memory per worker) is
# small next to that.
preload_app = False
# The workers' heartbeat files in memory, not on a disk that can stall (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "cqctp-web"
# Runtime control goes through systemd's signals (HUP reload, TERM stop, TTIN/TTOU workers);
# no control socket that two servers on one machine would share.
control_socket_disable = True

# The access log: when, what, the answer and how long; never who. No address (the proxy logs
# it, under its own retention), no user agent, no referrer, no query string (searches, tokens),
# and the secrets some paths hold (password reset and invitation links, private calendar
# addresses, certificate codes, document file names, newsletter links) are masked.
accesslog = _access_log()
access_log_format = '%(t)s "%(m)s %(path)s" %(s)s %(B)s %(M)sms'
errorlog = "-"

SECRETS_IN_PATHS = [
    (re.compile(r"(/mot-de-passe/)(?!envoye/|termine/)[^/]+/[^/]+"), r"\1*/*"),
    # Wagtail's own reset for editors (/admin/password_reset/confirm/<uidb64>/<token>/).
    (re.compile(r"(/admin/password_reset/confirm/)[^/]+/[^/]+"), r"\1*/*"),
    (re.compile(r"(/invitation/)[^/]+"), r"\1*"),
    (re.compile(r"(/espace-membres/calendrier/)(?!nouvelle-adresse/)[^/]+\.ics"), r"\1*.ics"),
    (re.compile(r"(/certificats/)(?!telecharger/)[^/]+"), r"\1*"),
    (re.compile(r"(/documents/\d+/)[^/]+"), r"\1*"),
    # A newsletter subscriber's confirm and unsubscribe links.
    (re.compile(r"(/infolettre/(?:confirmer|desabonnement)/)[^/]+"), r"\1*"),
]


def masked_path(path):
    """The path with the secrets it may hold replaced by *."""
    for pattern, replacement in SECRETS_IN_PATHS:
        path = pattern.sub(replacement, path)
    return path


class PrivateAccessLogger(glogging.Logger):
    """Gunicorn's logger with one more atom for the access log: `path`, masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["path"] = masked_path(environ.get("PATH_INFO") or "/")
        return atoms


logger_class = PrivateAccessLogger
