"""A real S3-compatible server for the tests: moto's server mode, started once per session, only when asked for.

`s3_server` is the endpoint URL of a ThreadedMotoServer (moto's HTTP server, in a thread of the test process,
on a free loopback port). `s3_storage` points Django's default storage (pamper.lib.storage) at a fresh private
bucket on it for one test, through django-storages exactly as production configures it (settings.py, S3_*).
Registered in the root conftest.py (pytest_plugins).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from pamper.lib.ports import free_port

_buckets = itertools.count(1)
CREDENTIALS = {"access_key": "pamper-test", "secret_key": "pamper-test-secret", "region_name": "eu-west-2"}



@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of a moto S3 server running for the rest of the session."""
    from moto.server import ThreadedMotoServer  # moto is slow to import: only when used

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_options(endpoint: str, bucket: str) -> dict[str, Any]:
    """The STORAGES["default"] entry settings.py builds for S3_BUCKET=bucket, S3_ENDPOINT_URL=endpoint."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint, **CREDENTIALS, "location": "",
        "addressing_style": "path", "default_acl": None, "querystring_auth": True, "file_overwrite": True}}


def make_bucket(endpoint: str) -> str:
    """A new, empty bucket on the server; returns its name."""
    import boto3  # as above

    bucket = f"pamper-test-{next(_buckets)}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=CREDENTIALS["access_key"],
                          aws_secret_access_key=CREDENTIALS["secret_key"], region_name=CREDENTIALS["region_name"])
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]})
    return bucket


@pytest.fixture
def s3_storage(s3_server: str, settings: Any) -> str:
    """Uploaded files go to a fresh bucket on the moto server for this test; returns the bucket's name."""
    bucket = make_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": s3_options(s3_server, bucket)}
    return bucket
