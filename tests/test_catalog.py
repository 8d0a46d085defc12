"""The portal catalog: configs load, families expand, and a broken config is refused by name."""

from __future__ import annotations

import pytest
import yaml

from warta.catalog import PortalConfigError, load_catalog, load_portal_file, parse_portal, portal_for_url
from warta.paths import PORTALS_DIR, REPLAY_ROOT


def test_suaralampung_is_a_config_entry_of_the_suara_family():
    portal = load_catalog()["suaralampung"]
    assert portal.family == "suara"
    assert portal.domains == ("lampung.suara.com",)
    assert portal.discovery[0].urls == ("https://lampung.suara.com/static/news/lampung-sitemap.xml",)
    assert portal.is_article_url("https://lampung.suara.com/read/2023/12/07/140500/kota-metro")
    assert not portal.is_article_url("https://lampung.suara.com/tag/smart-city")
    assert not portal.is_article_url("https://jatim.suara.com/read/2023/12/07/140500/kota-metro")


def test_another_suara_region_is_one_small_file(tmp_path):
    (tmp_path / "families").mkdir()
    (tmp_path / "families" / "suara.yaml").write_text((PORTALS_DIR / "families" / "suara.yaml").read_text())
    (tmp_path / "suarajatim.yaml").write_text("id: suarajatim\nname: SuaraJatim.id\nextends: suara\nvars: {region: jatim}\n")
    portal = load_portal_file(tmp_path / "suarajatim.yaml")
    assert portal.domains == ("jatim.suara.com",)
    assert portal.is_article_url("https://jatim.suara.com/read/2024/01/02/101010/slug")


def test_portal_for_url_finds_the_portal_by_domain():
    assert portal_for_url("https://lampung.suara.com/read/2023/12/07/140500/x").id == "suaralampung"
    assert portal_for_url("https://example.com/a") is None


def test_every_portal_has_replay_pages_and_golden_fixtures():
    from tests.conftest import GOLDEN

    for portal in load_catalog().values():
        assert any((REPLAY_ROOT / d).is_dir() for d in portal.domains), f"{portal.id}: no replay pages"
        assert list((GOLDEN / portal.id).glob("*.json")), f"{portal.id}: no golden fixtures"


BASE = {
    "id": "x", "name": "X", "domains": ["x.id"], "article_url_pattern": "^https://x\\.id/",
    "discovery": [{"strategy": "sitemap", "urls": ["https://x.id/sitemap.xml"]}], "selectors": {"body": ["div.body"]},
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"discovery": [{"strategy": "telepathy", "urls": ["u"]}]}, "unknown discovery strategy 'telepathy'"),
        ({"domains": []}, "missing required key 'domains'"),
        ({"selectors": {"body": ["div..body["]}}, "body selector 'div..body[' is invalid"),
        ({"article_url_pattern": "(unclosed"}, "article_url_pattern is not a valid regex"),
        ({"extends": "nosuchfamily"}, "extends unknown family 'nosuchfamily'"),
        ({"selectors": {"title": ["h1"]}}, "at least one 'body' selector"),
        ({"domains": ["${region}.x.id"]}, "placeholder ${region} has no value"),
    ],
)
def test_a_broken_config_is_refused_with_its_name_and_fault(change, message):
    with pytest.raises(PortalConfigError) as err:
        parse_portal({**BASE, **change}, "broken.yaml")
    assert "broken.yaml" in str(err.value) and message in str(err.value)


def test_id_must_match_file_name(tmp_path):
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(BASE))
    with pytest.raises(PortalConfigError, match="does not match the file name"):
        load_portal_file(tmp_path / "other.yaml")
