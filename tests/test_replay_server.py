"""The replay server maps portal URLs onto bundled files and serves them on 127.0.0.1."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from spiders.replay_handler import replay_url
from warta.replay import ReplayServer, replay_file


@pytest.fixture
def site(tmp_path):
    (tmp_path / "x.id" / "read" / "1").mkdir(parents=True)
    (tmp_path / "x.id" / "read" / "1" / "slug").write_text("<html><body><p>one</p></body></html>")
    (tmp_path / "x.id" / "read" / "1" / "slug@page=all").write_text("<html><body><p>all</p></body></html>")
    (tmp_path / "x.id" / "sitemap.xml").write_text("<urlset/>")
    (tmp_path / "x.id" / "index.html").write_text("<html>home</html>")
    (tmp_path / "secret.txt").write_text("outside any host")
    return tmp_path


def test_replay_url_keeps_host_path_and_query():
    assert replay_url("http://127.0.0.1:9", "https://x.id/read/1/slug?page=all") == "http://127.0.0.1:9/x.id/read/1/slug?page=all"
    assert replay_url("http://127.0.0.1:9/", "https://x.id") == "http://127.0.0.1:9/x.id/"


def test_replay_file_mapping(site):
    assert replay_file(site, "/x.id/read/1/slug").name == "slug"
    assert replay_file(site, "/x.id/read/1/slug?page=all").name == "slug@page=all"
    assert replay_file(site, "/x.id/").name == "index.html"
    assert replay_file(site, "/x.id/../../etc/passwd") is None
    assert replay_file(site, "/x.id/missing") is None


def test_server_serves_pages_with_real_content_types_and_404s(site):
    with ReplayServer(site) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{server.url}/x.id/read/1/slug?page=all") as resp:
            assert resp.read() == b"<html><body><p>all</p></body></html>"
            assert resp.headers["Content-Type"].startswith("text/html")
        with urllib.request.urlopen(f"{server.url}/x.id/sitemap.xml") as resp:
            assert resp.headers["Content-Type"].startswith("application/xml")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server.url}/x.id/missing")
        assert err.value.code == 404
