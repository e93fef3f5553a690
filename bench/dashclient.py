"""Build the exact request the browser sends to ``/_dash-update-component``.

The payload is derived from the app's own ``/_dash-layout`` and ``/_dash-dependencies``
(the same two documents dash-renderer reads), so the benchmark and the guard test exercise
the callbacks as they really are wired, not a hand-written imitation that could drift.
"""

from __future__ import annotations

import gzip
import json
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

UPDATE_URL = "/_dash-update-component"
PropKey = tuple[str, str]


class HttpClient(Protocol):
    """What we need from Flask's test client (or an adapter around a live server)."""

    def get(self, path: str) -> Any: ...

    def post(self, path: str, *, data: bytes, headers: Mapping[str, str]) -> Any: ...


def walk_components(node: Any) -> Iterator[dict]:
    """Every component (as JSON) in a layout tree, depth first."""
    if isinstance(node, list):
        for child in node:
            yield from walk_components(child)
    elif isinstance(node, dict) and "props" in node and "type" in node:
        yield node
        for value in node["props"].values():
            yield from walk_components(value)


def layout_values(layout: Any) -> dict[PropKey, Any]:
    """(id, prop) -> value for every component with a string id, as the renderer holds them."""
    values: dict[PropKey, Any] = {}
    for comp in walk_components(layout):
        cid = comp["props"].get("id")
        if isinstance(cid, str):
            for prop, value in comp["props"].items():
                if prop not in ("id", "children") or not isinstance(value, dict | list):
                    values[(cid, prop)] = value
    return values


def _split(prop_id: str) -> PropKey:
    cid, _, prop = prop_id.rpartition(".")
    return cid, prop


def parse_outputs(output: str) -> list[PropKey]:
    """``..a.b...c.d..`` (multi output) or ``a.b`` into [(id, prop), ...]."""
    if output.startswith("..") and output.endswith(".."):
        return [_split(p) for p in output[2:-2].split("...")]
    return [_split(output)]


@dataclass
class Page:
    """The renderer's view of one page: its prop values and its server callbacks."""

    layout: Any
    dependencies: list[dict]
    values: dict[PropKey, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, client: HttpClient) -> Page:
        """Fetch layout and dependencies the way dash-renderer does on page load."""
        layout = _json(client.get("/_dash-layout"))
        deps = _json(client.get("/_dash-dependencies"))
        return cls(layout, deps, layout_values(layout))

    def server_callback(self, cid: str, prop: str, output: str | None = None) -> dict:
        """The server-side callback with ``cid.prop`` as an Input (clientside ones skipped).

        ``output``: when several callbacks listen to the same prop, the one whose output
        names this component id.
        """
        for dep in self.dependencies:
            if dep.get("clientside_function"):
                continue
            if output is not None and output not in dep["output"]:
                continue
            if any(i["id"] == cid and i["property"] == prop for i in dep["inputs"]):
                return dep
        raise LookupError(f"no server callback listens to {cid}.{prop}")

    def payload(self, dep: dict, changed: Mapping[PropKey, Any]) -> dict:
        """The POST body for ``dep`` after the user changed ``changed`` (values updated)."""
        self.values.update(changed)

        def fill(specs: list[dict]) -> list[dict]:
            out = []
            for spec in specs:
                key = (spec["id"], spec["property"])
                if spec["id"].startswith("{"):  # a pattern-matching (ALL) input: a list
                    out.append(self.values.get(key, []))
                    continue
                item = {"id": spec["id"], "property": spec["property"]}
                if key in self.values:  # an unset prop is sent without "value", as in JS
                    item["value"] = self.values[key]
                out.append(item)
            return out

        outputs = [{"id": cid, "property": prop} for cid, prop in parse_outputs(dep["output"])]
        multi = dep["output"].startswith("..")
        changed_ids = [f"{cid}.{prop}" for cid, prop in changed]
        body = {
            "output": dep["output"],
            "outputs": outputs if multi else outputs[0],
            "inputs": fill(dep["inputs"]),
            "changedPropIds": changed_ids,
            "parsedChangedPropsIds": changed_ids,
        }
        if dep.get("state"):
            body["state"] = fill(dep["state"])
        return body

    def copy(self) -> Page:
        """The same page with its own prop values (one simulated browser tab per request)."""
        return Page(self.layout, self.dependencies, dict(self.values))

    def apply(self, response_json: Mapping[str, Any], skip: tuple[str, ...] = ("figure",)) -> None:
        """Feed a callback's outputs back into the page (except large props we don't track)."""
        for cid, props in (response_json.get("response") or {}).items():
            for prop, value in props.items():
                if prop not in skip:
                    self.values[(cid, prop)] = value


#: What Chromium advertises, minus the encodings the standard library cannot decode (a
#: server that picks br or zstd for Chromium would send even fewer bytes than measured).
BROWSER_ACCEPT_ENCODING = "gzip, deflate"


@dataclass
class HttpResponse:
    """The fields of a Flask test response the benchmark reads."""

    status_code: int
    data: bytes
    headers: Mapping[str, str]


class LiveClient:
    """The HttpClient protocol over real HTTP to a running server (one request each)."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout

    def _open(self, request: urllib.request.Request) -> HttpResponse:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                return HttpResponse(resp.status, resp.read(), dict(resp.headers.items()))
        except urllib.error.HTTPError as err:
            return HttpResponse(err.code, err.read(), dict(err.headers.items()))

    def get(self, path: str) -> HttpResponse:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, *, data: bytes, headers: Mapping[str, str]) -> HttpResponse:
        return self._open(urllib.request.Request(self.base + path, data=data,
                                                 headers=dict(headers), method="POST"))


@dataclass
class Reply:
    """A callback answer: its JSON (decoded) and how many bytes it took on the wire."""

    status: int
    body: bytes
    wire_bytes: int
    encoding: str


def post(client: HttpClient, body: dict, *,
         accept_encoding: str | None = BROWSER_ACCEPT_ENCODING) -> Reply:
    """POST a callback request as the browser does (``accept_encoding=None``: ask for none)."""
    headers = {"Content-Type": "application/json"}
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    resp = client.post(UPDATE_URL, data=json.dumps(body).encode(), headers=headers)
    raw = resp.data
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    if encoding == "gzip":
        data = gzip.decompress(raw)
    elif encoding == "deflate":
        data = zlib.decompress(raw)
    elif encoding in ("", "identity"):
        data = raw
    else:
        raise ValueError(f"cannot decode Content-Encoding {encoding!r}")
    return Reply(resp.status_code, data, len(raw), encoding or "identity")


def callback_request(page: Page, trigger: PropKey, value: Any,
                     extra: Mapping[PropKey, Any] | None = None,
                     output: str | None = None) -> dict:
    """The body dash-renderer posts when the user sets ``trigger`` to ``value``.

    The one request builder of the project: bench and tests build every callback request
    here, from the app's own /_dash-layout and /_dash-dependencies. ``extra`` sets other
    props first (e.g. the URL the page was opened with). ``page`` is updated in place.
    """
    page.values.update(extra or {})
    return page.payload(page.server_callback(*trigger, output=output), {trigger: value})


@dataclass
class Cascade:
    """What one user action costs: every callback request the renderer chains from it."""

    replies: list[tuple[dict, Reply]]
    request_bytes: int
    #: Per step of the chain, the slowest request's milliseconds: the renderer sends a
    #: step's requests together, so the chain's latency is the sum of these.
    step_ms: list[float] = field(default_factory=list)

    @property
    def ms(self) -> float:
        """The chain's latency as the browser sees it (steps in turn, each step's requests
        at once)."""
        return sum(self.step_ms)

    @property
    def response(self) -> dict[str, dict[str, Any]]:
        """All outputs of the chain, merged as {component id: {prop: value}}."""
        merged: dict[str, dict[str, Any]] = {}
        for _, reply in self.replies:
            if reply.status == 200:
                for cid, props in (json.loads(reply.body).get("response") or {}).items():
                    merged.setdefault(cid, {}).update(props)
        return merged

    @property
    def status(self) -> int:
        """The first failed HTTP status of the chain, else 200 (204: nothing to update)."""
        return next((r.status for _, r in self.replies if r.status not in (200, 204)), 200)

    @property
    def bytes(self) -> int:
        """JSON bodies, uncompressed, summed over the chain."""
        return sum(len(r.body) for _, r in self.replies)

    @property
    def wire_bytes(self) -> int:
        return sum(r.wire_bytes for _, r in self.replies)

    @property
    def body(self) -> bytes:
        """The chain's bodies joined (for checks that look for a marker anywhere in it)."""
        return b"\n".join(r.body for _, r in self.replies)


def map_page(dep: dict) -> bool:
    """The map page's own chain (state, map, texts, views), not the other panels' callbacks
    that a tab change also wakes (the export panel's format list, for one)."""
    return not dep["output"].lstrip(".").startswith("export-")


def cascade(client: HttpClient, page: Page, changed: Mapping[PropKey, Any], *,
            accept_encoding: str | None = BROWSER_ACCEPT_ENCODING,
            first: dict | None = None, max_depth: int = 6,
            follow: Callable[[dict], bool] | None = None) -> Cascade:
    """Post what dash-renderer posts after the user sets ``changed``, following the chain.

    Every server callback with a changed prop as an Input fires (``first``: only that one
    for the user's own change); the props its answer sets fire their listeners in turn, as
    in the browser (a callback is not re-fired by its own outputs). ``follow``: which
    dependent callbacks to run (default: all); ``page`` is updated.
    """
    replies: list[tuple[dict, Reply]] = []
    steps: list[float] = []
    sent = 0
    frontier: dict[PropKey, Any] = dict(changed)
    source: dict | None = None
    for depth in range(max_depth):
        if not frontier:
            break
        deps = [first] if depth == 0 and first is not None else [
            d for d in page.dependencies if not d.get("clientside_function")
            and d is not source and (follow is None or follow(d))
            and any((i["id"], i["property"]) in frontier for i in d["inputs"])]
        following: dict[PropKey, Any] = {}
        slowest = 0.0
        for dep in deps:
            mine = {k: v for k, v in frontier.items()
                    if any((i["id"], i["property"]) == k for i in dep["inputs"])}
            body = page.payload(dep, mine)
            sent += len(json.dumps(body).encode())
            start = time.perf_counter()
            reply = post(client, body, accept_encoding=accept_encoding)
            slowest = max(slowest, (time.perf_counter() - start) * 1000)
            replies.append((dep, reply))
            if reply.status != 200:
                continue
            answer = json.loads(reply.body)
            page.apply(answer)
            for cid, props in (answer.get("response") or {}).items():
                for prop, value in props.items():
                    following[(cid, prop)] = value
            source = dep if len(deps) == 1 else None
        if deps:
            steps.append(slowest)
        frontier = following
    return Cascade(replies, sent, steps)


def _json(resp: Any) -> Any:
    return json.loads(resp.data)
