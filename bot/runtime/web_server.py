"""The Procfile's web server: gunicorn, forking worker processes of HTTP_THREADS threads each.

No worker shares a database connection with another: the master loads no app, and each worker
builds its own app and engine after the fork (`preload_app` off).
"""

# A request is mostly Python at work, so threads beyond a few only take turns at the GIL: a
# thread holding SQLite's write lock then waits for its turn, and writers queue behind it (in
# the endpoint benchmark, 8 threads waited some 17 ms per write for the lock, 4 about 2 ms).
# Four still overlap PostgreSQL's round trips.
HTTP_THREADS = 4
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
