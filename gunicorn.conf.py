"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py review_site.wsgi`.

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Threads, not processes, carry the concurrency: a client sending its request a byte at a time holds one thread until
# it finishes, so many cheap threads keep /healthz and everyone else answered while a few dozen such clients hang on.
# In production a buffering proxy (docs/security.md: nginx) takes slow clients off gunicorn altogether.
# Each thread may keep a database connection (DB_CONN_MAX_AGE): workers x threads must stay below the database's limit.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
worker_class = "gthread"
# A worker takes no more connections than it has threads: once slow clients hold all of one worker's threads, the
# next connection goes to another worker instead of queueing behind them (one worker can otherwise accept them all).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads)))
# A slow upload of a 10 MB file on a poor connection must still finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A connection is kept open between requests only while the worker has room beyond its threads; with
# worker_connections equal to threads (above) it has none, so keep-alive is off rather than promised and refused
# (gunicorn warns "No keepalived connections can be handled"). The proxy in front keeps browsers' connections alive.
keepalive = 5 if worker_connections > threads else 0
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Behind a load balancer that terminates TLS; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# One line a request, without the query string (it can hold what someone searched for or typed), the referrer or the
# browser, but with the request id the site answered with (X-Request-ID), which finds the request's own log lines.
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT", "%(t)s %(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s"
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
