"""Gunicorn in production: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi`` (deploy/systemd/keystory-web.service).

Threads suit KeyStory: most of a request's time is spent waiting on the database, and a photo upload's
heavy resize runs in the Celery worker. Override with GUNICORN_WORKERS, GUNICORN_THREADS or GUNICORN_BIND.
"""

import multiprocessing
import os

# Two workers per core plus one, capped: past that, more processes only add memory and database connections.
MAX_WORKERS = 12

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # only nginx, on the same machine, talks to it
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, MAX_WORKERS)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"

accesslog = "-"  # stdout: the journal keeps it
errorlog = "-"
# nginx sends the real client's address; the access log shows it rather than 127.0.0.1.
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

timeout = 60  # a request stuck this long is killed and its worker replaced
graceful_timeout = 30  # on restart (deploys), requests in flight get this long to finish
keepalive = 5
# A fresh worker now and then bounds any slow leak; the jitter keeps them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200
