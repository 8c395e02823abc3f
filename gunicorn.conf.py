"""gunicorn as the production stack runs it (docker-compose.yml, Dockerfile);
tests/test_request_limits.py starts it with this file too.

A reverse proxy (Caddy, in docker-compose.yml) stands in front: it terminates
TLS, reads each request body whole before passing it on (so a slow client
waits in the proxy, not in a Python thread) and refuses bodies over the
route's limit. These settings are the second line:

- threads: each worker serves several requests at once, so a few slow
  clients that reach gunicorn cannot take every worker;
- keepalive 0: every response closes its connection. A body refused before
  it was read (core.middleware.RequestSizeLimitMiddleware answers 413 from
  the Content-Length header) is then never read at all; connection reuse is
  the proxy's job, on its side;
- timeouts, chosen now that long work runs in Celery (exports above
  EXPORT_BACKGROUND_ROWS, the press pack, imports: each a job with a progress
  page), so no request needs more than a few seconds:
  - the proxy is the request's limit: it gives up on a response not begun
    within 30 s (Caddyfile, response_header_timeout) and answers 504;
  - `timeout` (60 s) is not a request limit with gthread workers: it is the
    worker's heartbeat. A worker process whose main loop has not checked in
    for 60 s (stuck, not busy: its threads may be serving slow requests) is
    killed and replaced. Generous, because killing a worker drops every
    request its threads are serving, and a machine under load checks in late;
  - `graceful_timeout` (30 s): on a deploy or restart, requests in progress
    get as long to finish as the proxy would wait for them;
- the request line, header count and header size limits are gunicorn's
  defaults, written here so that they are a choice.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
keepalive = 0
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
