"""The warehouse on an object store: an S3-compatible server (moto) started on 127.0.0.1 by the test."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pyarrow.fs as pafs
import pytest

from tests.test_transforms import article_table
from warehouse import PartitionKey, read_articles, read_dataset, write_partition
from warehouse.location import resolve
from warehouse.sql import connect

KEY = PartitionKey("suaralampung", "2026-11-28", "0800")


@pytest.fixture(scope="module")
def s3_uri(tmp_path_factory):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    fs = pafs.S3FileSystem(endpoint_override=endpoint, scheme="http", access_key="test", secret_key="test",
                           region="us-east-1", allow_bucket_creation=True)
    fs.create_dir("warta-test")
    yield f"s3://test:test@warta-test/warehouse?endpoint_override={endpoint}&scheme=http&region=us-east-1"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def test_write_read_and_query_on_an_object_store(s3_uri):
    write_partition("articles", article_table(["https://x/1", "https://x/2"]), KEY, s3_uri)
    write_partition("articles", article_table(["https://x/1", "https://x/2"]), KEY, s3_uri)  # a rerun replaces
    write_partition("articles", article_table(["https://x/3"]), PartitionKey("kupastuntas", "2026-11-28", "a"), s3_uri)
    table = read_dataset("articles", s3_uri)
    assert sorted(table.column("url").to_pylist()) == ["https://x/1", "https://x/2", "https://x/3"]
    assert sorted(set(table.column("portal").to_pylist())) == ["kupastuntas", "suaralampung"]
    assert read_articles(portals=["kupastuntas"], root=s3_uri).column("url").to_pylist() == ["https://x/3"]
    counts = connect(s3_uri).execute("SELECT portal, count(*) FROM articles GROUP BY ALL ORDER BY 1").fetchall()
    assert counts == [("kupastuntas", 1), ("suaralampung", 2)]
    loc = resolve(s3_uri)
    assert not loc.local and loc.exists(loc.join(KEY.relpath("articles")))
