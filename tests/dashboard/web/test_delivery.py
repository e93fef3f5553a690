"""Compression and caching as a browser meets them: every text response compressed (brotli
for Chromium, gzip where only gzip is accepted), the same bytes after decompression, and every
fingerprinted URL cacheable for a year while the page and the layout are not."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import brotli
import pytest

from bench.dashclient import Page, callback_request
from dashboard.ids import Ids
from dashboard.web.delivery import IMMUTABLE, is_fingerprinted
from dashboard.web.precompressed import BROTLI_QUALITY, EXTENSION, accepted

#: Its app compresses every file at brotli 11 first, as when served (seconds).
pytestmark = pytest.mark.slow

CHROMIUM = "gzip, deflate, br, zstd"


@pytest.fixture(scope="module")
def client(dataset) -> Any:
    """A client of an app whose store of strongly compressed files is full, as when served."""
    from dashboard.app import create_app

    server = create_app(dataset).server
    assert server.extensions[EXTENSION].warm() >= 12
    return server.test_client()


def page_urls(client: Any) -> list[str]:
    """Every script and stylesheet the page loads, the layout, its callbacks and geometry."""
    index = client.get("/").get_data(as_text=True)
    urls = [u for u in re.findall(r'(?:src|href)="([^"]+)"', index) if "favicon" not in u]
    layout = client.get("/_dash-layout").get_data(as_text=True)
    topojson = json.loads(re.search(r'"topojsonURL": ?("[^"]+")', layout)[1])
    urls += ["/", "/_dash-layout", "/_dash-dependencies",
             json.loads(re.search(r'"geojson": ?("[^"]+")', layout)[1]),
             topojson + "africa_50m.json"]
    return urls


def decoded(response: Any) -> bytes:
    body, encoding = response.get_data(), response.headers.get("Content-Encoding")
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(body)


def same_but_token(a: bytes, b: bytes) -> bool:
    token = re.compile(rb'"end_id":"[^"]*"')
    return token.sub(b"", a) == token.sub(b"", b)


@pytest.mark.parametrize(("accept", "expected"), [(CHROMIUM, "br"), ("gzip", "gzip")])
def test_every_text_response_is_compressed_and_identical(client, accept: str,
                                                         expected: str) -> None:
    urls = page_urls(client)
    assert any(u.startswith("/assets/plotly-geo") for u in urls)
    assert sum(u.endswith(".js") or ".js?" in u for u in urls) >= 8
    for url in urls:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in plain.headers, url
        assert packed.headers.get("Content-Encoding") == expected, url
        # The page carries a per-request CSRF token; everything else must match byte for byte.
        assert same_but_token(decoded(packed), plain.get_data()), url
        assert "Accept-Encoding" in packed.headers.get("Vary", ""), url


def test_callback_answers_are_compressed(client) -> None:
    # The map's patch: the largest answer of a year step (the state callback's is tiny).
    body = callback_request(Page.load(client), (Ids.STATE, "data"), "?year=2019",
                            output=f"{Ids.MAP}.figure")
    plain = client.post("/_dash-update-component", json=body)
    packed = client.post("/_dash-update-component", json=body,
                         headers={"Accept-Encoding": CHROMIUM})
    assert packed.headers["Content-Encoding"] == "br"
    assert decoded(packed) == plain.get_data()
    assert len(packed.get_data()) * 3 < len(plain.get_data())


def test_fingerprinted_urls_are_cached_for_a_year_and_the_page_is_not(client) -> None:
    for url in page_urls(client):
        cache = client.get(url).headers.get("Cache-Control", "")
        # Dash's lazy chunks carry no version in their names: revalidated, never immutable.
        if url in ("/", "/_dash-layout", "/_dash-dependencies") or "/async-" in url:
            assert "immutable" not in cache and "max-age=31536000" not in cache, url
        else:
            assert cache == IMMUTABLE, url


def test_an_unfingerprinted_asset_is_not_cached_for_long(client) -> None:
    assert "immutable" not in client.get("/assets/style.css").headers.get("Cache-Control", "")


def test_base_maps_folder_is_fingerprinted_and_closed(client) -> None:
    layout = client.get("/_dash-layout").get_data(as_text=True)
    folder = json.loads(re.search(r'"topojsonURL": ?("[^"]+")', layout)[1])
    assert re.fullmatch(r"/_static/topojson-[0-9a-f]{12}/", folder)
    assert client.get(folder + "africa_50m.json").get_json()["type"] == "Topology"
    assert client.get(folder + "secret.json").status_code == 404
    assert client.get(folder + "../app.js").status_code == 404


def test_lazy_chunks_without_a_fingerprint_are_revalidated_not_cached_for_a_year(client) -> None:
    url = "/_dash-component-suites/dash/dcc/async-graph.js"
    assert not is_fingerprinted(url, {})
    first = client.get(url)
    assert first.status_code == 200 and "immutable" not in first.headers.get("Cache-Control", "")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def plotly_url(client: Any) -> str:
    return next(u for u in page_urls(client) if u.startswith("/assets/plotly-geo"))


def test_immutable_files_go_out_at_the_strongest_level(client) -> None:
    url = plotly_url(client)
    plain = client.get(url).get_data()
    packed = client.get(url, headers={"Accept-Encoding": CHROMIUM})
    assert packed.headers["Content-Encoding"] == "br"
    assert len(packed.get_data()) == len(brotli.compress(plain, quality=BROTLI_QUALITY))
    assert "ETag" not in packed.headers  # it named the uncompressed bytes
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain
    # A HEAD request and a range request are answered as before, not from the store.
    assert client.head(url, headers={"Accept-Encoding": CHROMIUM}).status_code == 200
    part = client.get(url, headers={"Accept-Encoding": CHROMIUM, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.get_data() == plain[:100]


def test_an_unstored_file_is_served_by_flask_compress_and_stored_for_the_next(dataset) -> None:
    from dashboard.app import create_app

    server = create_app(dataset).server
    client, store = server.test_client(), server.extensions[EXTENSION]
    url = plotly_url(client)
    first = client.get(url, headers={"Accept-Encoding": CHROMIUM})
    assert first.headers["Content-Encoding"] == "br"  # flask-compress, at its own level
    store.wait(timeout=60)
    second = client.get(url, headers={"Accept-Encoding": CHROMIUM})
    assert decoded(second) == decoded(first)
    assert len(second.get_data()) < len(first.get_data()) * 0.95


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip"),
    ("identity", None), ("", None), ("br;q=0, gzip;q=0", None), ("*", "br"),
    ("gzip;q=junk, br", "br"), ("BR", "br"),
])
def test_accept_encoding_is_read_with_its_weights(header: str, expected: str | None) -> None:
    assert accepted(header, ["br", "gzip"]) == expected


def test_the_page_preloads_what_it_fetches_after_its_scripts_run(client) -> None:
    index = client.get("/").get_data(as_text=True)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="(\w+)"', index)
    hrefs = [h for h, _ in preloads]
    layout = client.get("/_dash-layout").get_data(as_text=True)
    geometry = json.loads(re.search(r'"geojson": ?("[^"]+")', layout)[1])
    assert {"/_dash-layout", "/_dash-dependencies", geometry} <= set(hrefs)
    assert any(h.endswith("/africa_50m.json") for h in hrefs)
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    # Preloads come before the scripts, in the head.
    assert index.index('rel="preload"') < index.index("</head>")
