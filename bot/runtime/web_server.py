"""The Procfile's web server: gunicorn, forking worker processes of HTTP_THREADS threads each.

No worker shares a database connection with another: the master loads no app, and each worker
builds its own app and engine after the fork (`preload_app` off).
"""

# A request is mostly Python at work, so more threads only take turns at the GIL, and switching
# between them costs CPU: in the endpoint benchmark, with ten clients, a request cost 2.5 ms of
# CPU with four threads and 2.1 ms with two, and a thread holding SQLite's write lock waited
# for its turn while writers queued behind it (8 threads: some 17 ms per write). Two still
# overlap PostgreSQL's round trips: its throughput was the same with two as with four. More
# cores are served by more worker processes (WEB_CONCURRENCY).
HTTP_THREADS = 2
WORKER_CLASS = "gthread"


def server_options(*, bind: str, workers: int) -> dict[str, object]:
    return {
        "bind": bind,
        "workers": workers,
        "threads": HTTP_THREADS,
        "worker_class": WORKER_CLASS,
        "preload_app": False,
        # Signals are the bot's only control; no socket left in the home folder.
        "control_socket_disable": True,
    }
