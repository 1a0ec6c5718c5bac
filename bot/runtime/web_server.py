"""The Procfile's web server: gunicorn, forking worker processes of HTTP_THREADS threads each.

No worker shares a database connection with another: the master loads no app, and each worker
builds its own app and engine after the fork (`preload_app` off).
"""

HTTP_THREADS = 8
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
