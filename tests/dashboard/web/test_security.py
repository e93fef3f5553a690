"""Secure defaults on real responses: headers, CSP, routes, error pages, debug and serving.

The app is built the way production builds it (``create_app`` then ``harden``) and every
check reads a real response from Flask's test client, a real socket or a real gunicorn.
"""

from __future__ import annotations

import base64
import hashlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from flask import request

from dashboard import cli
from dashboard.app import create_app
from dashboard.ids import Ids
from dashboard.web import gunicorn as server
from dashboard.web.security import (
    content_security_policy,
    harden,
    validate_frame_ancestors,
)
from tests.paths import REPO


@pytest.fixture(scope="module")
def app(dataset: Any) -> Dash:
    built = create_app(dataset)  # hardened by create_app

    @built.server.route("/_test/boom")
    def boom() -> str:  # a bug anywhere in a view must still give a plain page
        raise RuntimeError("secret detail /etc/passwd")

    return built


@pytest.fixture(scope="module")
def client(app: Dash) -> Any:
    return app.server.test_client()


def _csp(response: Any) -> dict[str, list[str]]:
    """The CSP header as {directive: [sources]}."""
    policy: dict[str, list[str]] = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def _callback_body(client: Any, year: int) -> dict[str, Any]:
    from bench.dashclient import Page, callback_request

    return callback_request(Page.load(client), (Ids.YEAR_SLIDER, "value"), year)


ROUTES = [
    ("GET", "/", 200),
    ("GET", "/?year=2019&powers=RUS", 200),
    ("GET", "/_dash-layout", 200),
    ("GET", "/_dash-dependencies", 200),
    ("GET", "/assets/style.css", 200),
    ("GET", "/_favicon.ico", 200),
    ("GET", "/console", 404),
    ("GET", "/.env", 404),
    ("GET", "/_dash-component-suites/nope/x.js", 404),
    ("PUT", "/", 405),
    ("POST", "/_dash-update-component", 400),
    ("GET", "/_test/boom", 500),
]


@pytest.mark.parametrize(("method", "path", "status"), ROUTES)
def test_every_response_carries_the_security_headers(client, method, path, status) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert _csp(response)["frame-ancestors"] == ["'none'"]
    assert b"Traceback" not in response.get_data()


def test_callback_response_carries_the_headers(client) -> None:
    response = client.post("/_dash-update-component", json=_callback_body(client, 2019))
    assert response.status_code == 200
    assert "response" in response.get_json()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_csp_allows_only_this_server(client, app) -> None:
    policy = _csp(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert set(app.csp_hashes()) <= set(scripts)
    everything = " ".join(s for sources in policy.values() for s in sources)
    assert "http" not in everything and "*" not in everything, "no external origin"


def test_every_inline_script_of_the_page_is_hashed(client) -> None:
    """The executable inline scripts in the HTML are exactly those the CSP lets run."""
    page = client.get("/")
    html = page.get_data(as_text=True)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # the IE notice is a comment
    inline = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if "src=" not in attrs and "application/json" not in attrs]
    assert inline, "Dash bootstraps with one inline script"
    allowed = set(_csp(page)["script-src"])
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def test_unknown_paths_are_404_not_the_page(client) -> None:
    for path in ("/console", "/admin", "/wp-login.php", "/a/b/c", "/%2e%2e/etc/passwd"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_data(as_text=True) == "404 Not Found\n"


def test_werkzeug_debugger_resources_are_not_served(client) -> None:
    """The debugger's URLs reach the plain page: no debugger middleware intercepts them."""
    for query in ("__debugger__=yes&cmd=resource&f=debugger.js",
                  "__debugger__=yes&cmd=printpin&s=x"):
        response = client.get("/?" + query)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert b'id="react-entry-point"' in response.get_data()
        assert b"werkzeug" not in response.get_data().lower()


def test_errors_are_plain_pages_without_traceback(client) -> None:
    response = client.get("/_test/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text == "500 Internal Server Error\n"
    assert "secret" not in text and "passwd" not in text


@pytest.mark.parametrize("body", [
    b"garbage", b"{}", b"[]", b"null", b"1e999", b'{"output": 5}',
    b'{"output": "..x.y..", "inputs": []}', b'{"output": "', "\u00e9\u00e8".encode("latin-1"),
])
def test_malformed_callback_bodies_are_400(client, body) -> None:
    response = client.post("/_dash-update-component", data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("400 Bad Request")


def test_callback_with_wrong_value_types_is_not_a_500(client) -> None:
    body = _callback_body(client, 2019)
    for entry in body["inputs"]:
        if entry["id"] == "power-filter":
            entry["value"] = 5  # not a list
        if entry["id"] == "year-slider":
            entry["value"] = {"$gt": ""}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.get_data(as_text=True)


def test_oversized_bodies_are_refused(client) -> None:
    response = client.post("/_dash-update-component", data=b"[" * (2 << 20),
                           content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize(("value", "header", "xfo"), [
    (None, "'none'", "DENY"),
    ("'self'", "'self'", "SAMEORIGIN"),
    ("self", "'self'", "SAMEORIGIN"),
    ("https://news.example.org", "https://news.example.org", None),
    ("'self' https://*.example.org, https://b.example:8443",
     "'self' https://*.example.org https://b.example:8443", None),
])
def test_framing_only_where_configured(dataset, value, header, xfo) -> None:
    app = create_app(dataset)
    harden(app, frame_ancestors=value)
    response = app.server.test_client().get("/")
    assert _csp(response)["frame-ancestors"] == header.split()
    assert response.headers.get("X-Frame-Options") == xfo


def test_harden_again_replaces_the_settings(dataset) -> None:
    """create_app hardens with the CLI's value; a later call (tests, embedders) wins."""
    app = create_app(dataset)
    hooks = len(app.server.after_request_funcs[None])
    client = app.server.test_client()
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
    harden(app, frame_ancestors="'self'")
    assert client.get("/").headers["X-Frame-Options"] == "SAMEORIGIN"
    assert len(app.server.after_request_funcs[None]) == hooks


@pytest.mark.parametrize("value", [
    "", "https://a.example; script-src *", "https://a.example\r\nSet-Cookie: x=1",
    "javascript:", "'unsafe-inline'", "data:", "'none' 'self'", "<script>",
    "https://a.example/\u00e9", "https://a\x00b",
])
def test_bad_frame_ancestors_are_refused(value) -> None:
    with pytest.raises(ValueError, match="frame ancestors"):
        validate_frame_ancestors(value)


def test_csp_without_hashes_still_forbids_inline_script() -> None:
    policy = content_security_policy([])
    assert "script-src 'self';" in policy and "unsafe" not in policy.split("style-src")[0]


def test_debug_never_starts_the_werkzeug_debugger(dataset, monkeypatch) -> None:
    """Even ``app.run(debug=True)`` (``serve --debug``) gets the reloader, not the console."""
    import werkzeug.serving

    seen: dict[str, Any] = {}
    monkeypatch.setattr(werkzeug.serving, "run_simple",
                        lambda *a, **kw: seen.update(kw, args=a))
    app = create_app(dataset)
    app.run(debug=True, port=8059, dev_tools_hot_reload=False)
    assert seen["use_debugger"] is False and seen["use_evalex"] is False
    assert seen["use_reloader"] is True


@pytest.mark.slow  # imports the app in a fresh process
@pytest.mark.parametrize(("argv", "debug"), [([], False), (["--debug"], True)])
def test_debug_only_with_the_flag(monkeypatch, argv, debug) -> None:
    """Environment variables that switch Dash/Flask debug on do not override the CLI."""
    monkeypatch.setenv("DASH_DEBUG", "true")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Dash, "run", lambda self, **kw: calls.append(kw))
    monkeypatch.setattr(server, "check_bind", lambda host, port: None)
    assert cli.main(["serve", "--port", "8058", *argv]) == 0
    assert calls[0]["debug"] is debug
    assert calls[0]["host"] == "127.0.0.1"


def test_gunicorn_settings_preload_and_stay_local() -> None:
    options = server.gunicorn_options(host="127.0.0.1", port=8050, workers=3)
    assert options["preload_app"] is True
    assert options["bind"] == "127.0.0.1:8050"
    assert options["worker_class"] == "gthread" and options["threads"] >= 2
    assert options["control_socket_disable"] is True
    assert server.bind_address("::1", 80) == "[::1]:80"


def test_busy_port_is_one_clear_message(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        message = server.check_bind("127.0.0.1", port)
        assert message is not None and "already in use" in message
        assert server.run_gunicorn(None, host="127.0.0.1", port=port, workers=2) == 2  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("host", "port", "fragment"), [
    ("no-such-host.invalid", 8050, "not a known address"),
    ("127.0.0.1", 0, "--port must be 1-65535"),
    ("127.0.0.1", 70000, "--port must be 1-65535"),
    ("192.0.2.1", 8050, "not an address of this machine"),
])
def test_bad_addresses_are_explained(host, port, fragment) -> None:
    assert fragment in (server.check_bind(host, port) or "")


# --------------------------------------------------------------------------- real servers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", *args], cwd=REPO, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            return urllib.request.urlopen(url, timeout=5)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.slow
def test_workers_fork_from_one_preloaded_app() -> None:
    """``serve --workers 2``: data loaded once (one summary line), then two workers fork."""
    port = _free_port()
    process = _serve("--workers", "2", "--port", str(port))
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/", process)
        assert response.status == 200
        # A second server on the same port is refused in one line, exit 2.
        busy = subprocess.run([sys.executable, "-m", "dashboard", "serve", "--workers", "2",
                               "--port", str(port)], cwd=REPO, capture_output=True,
                              text=True, timeout=120)
        assert busy.returncode == 2
        assert "already in use" in busy.stderr and "Traceback" not in busy.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    assert process.returncode == 0, output
    assert output.count("OK: dataset ") == 1, output
    assert "dataset preloaded in pid" in output
    assert output.count("Booting worker with pid") == 2
    master = int(re.search(r"preloaded in pid (\d+)", output)[1])
    workers = [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", output)]
    assert master == process.pid and master not in workers


@pytest.mark.slow
def test_single_process_server_binds_loopback_and_has_no_console() -> None:
    port = _free_port()
    process = _serve("--port", str(port))
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/", process)
        assert page.status == 200
        try:
            console = urllib.request.urlopen(f"http://127.0.0.1:{port}/console", timeout=5)
            status, body = console.status, console.read().decode()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode()
        assert "werkzeug" not in body.lower() and "__debugger__" not in body
        assert "Content-Security-Policy" in page.headers
        assert status == 404
        # Not reachable on other interfaces: it bound 127.0.0.1 only.
        listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        local = {row[1] for row in listening if row[3] == "0A"}  # 0A = LISTEN
        assert f"0100007F:{port:04X}" in local and f"00000000:{port:04X}" not in local
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


# --------------------------------------------------------------------------- browser


@pytest.mark.browser
@pytest.mark.slow
def test_page_runs_under_the_csp_with_an_empty_console(dash_duo, dataset) -> None:
    """Render, step the year, play, select a country, hover and export a PNG under the CSP.

    Violations would show up twice: as console errors and as reports POSTed to report-uri.
    """
    app = create_app(dataset)
    harden(app, report_uri="/_test/csp-report")
    reports: list[str] = []

    @app.server.route("/_test/csp-report", methods=["POST"])
    def collect() -> tuple[str, int]:
        reports.append(request.get_data(as_text=True))
        return "", 204

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#map .main-svg", timeout=30)
    dash_duo.wait_for_element("#map .choroplethlocation", timeout=30)
    dash_duo.driver.get(dash_duo.server_url + "/?year=2015")
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "2015", timeout=20)
    dash_duo.find_element(f"#{Ids.PLAY_BUTTON}").click()
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "2016", timeout=20)
    dash_duo.find_element(f"#{Ids.PLAY_BUTTON}").click()
    dash_duo.select_dcc_dropdown(f"#{Ids.COUNTRY_SELECT}", value="Djibouti")
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_TITLE}", "Djibouti", timeout=20)
    png = dash_duo.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const gd = document.querySelector('#map .js-plotly-plot');
        Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: 0}], 'geo');
        Plotly.toImage(gd, {format: 'png', width: 600, height: 400})
            .then(url => done(url.slice(0, 22)), err => done('error: ' + err));
        """)
    assert png == "data:image/png;base64,"
    time.sleep(1)
    assert dash_duo.get_logs() == []
    assert reports == []
