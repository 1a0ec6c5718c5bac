"""A web worker carries only what serving Slack needs: the libraries that draw charts and
write workbooks (some 60 MB with numpy and Pillow) are imported when a report or an import
first needs them."""

import subprocess
import sys

IMPORTED_ON_DEMAND = ("matplotlib", "openpyxl", "numpy", "PIL")


def test_the_web_worker_imports_no_chart_or_workbook_library() -> None:
    probe = (
        "import sys\n"
        "import bot.runtime.wsgi, bot.app, bot.runtime.cli\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(loaded) & set(IMPORTED_ON_DEMAND) == set()
    assert "slack_bolt" in loaded  # the probe saw the modules
