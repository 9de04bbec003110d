"""Starting the test provider (`serve.py`) from a test's fixture."""

import contextlib
import os
import select
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "portal"
CLIENT_SECRET = "test-client-secret"
START_SECONDS = 90


@contextlib.contextmanager
def running(portal_url, folder):
    """The provider in a process of its own, its SQLite file in `folder`, with one confidential
    application whose only redirect address is the portal's callback under `portal_url`; yields
    its address and discovery URL, and stops it afterwards."""
    env = {
        **os.environ,
        "IDP_DB": str(folder / "provider.sqlite3"),
        "IDP_CLIENT_ID": CLIENT_ID,
        "IDP_CLIENT_SECRET": CLIENT_SECRET,
        "IDP_REDIRECT_URI": f"{portal_url}/accounts/oidc/callback/",
    }
    log = folder / "provider.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
            line = process.stdout.readline() if ready else ""
            if not line.startswith("READY"):
                raise RuntimeError("The test provider did not start:\n" + log.read_text())
            url = f"http://127.0.0.1:{int(line.split()[1])}"
            yield SimpleNamespace(url=url, discovery=f"{url}/o/.well-known/openid-configuration")
        finally:
            process.terminate()
            process.wait(timeout=10)


def switch_on(settings, provider):
    """The portal's settings for `provider` (pytest-django's `settings` fixture)."""
    settings.OIDC_DISCOVERY_URL = provider.discovery
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_BUTTON_LABEL = "Войти через Госуслуги Югры"
