"""The benchmark's verdicts: each target judged from the measured value, met or missed."""

from __future__ import annotations

from typing import Any

from bench import report


def result(first: int, ret: int, slow: float, p95_real: float, p95_big: float) -> dict[str, Any]:
    def app(p95: float, visit: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"repaint": {"year_step": {"p50_ms": p95 / 2, "p95_ms": p95},
                                           "filter_change": {"p50_ms": 40.0, "p95_ms": 60.0}}}
        if visit:
            out["first_visit"] = {"first_visit_bytes": first, "return_visit_bytes": ret,
                                  "slow_map_ms": slow}
        return out

    return {"scales": {"real": {"app": app(p95_real, True), "baseline": {}},
                       "100x": {"app": app(p95_big, False), "baseline": {}}},
            "export": {"engines": {"threads": 4,
                                   "app": {"status": "ok", "seconds_per_png_median": 0.5,
                                           "threaded_wrong_or_failed": 0, "threaded_n": 8},
                                   "kaleido_sync_server": {
                                       "status": "ok", "seconds_per_png_median": 0.6,
                                       "threaded_wrong_or_failed": 5, "threaded_n": 8}}}}


def verdicts(res: dict[str, Any]) -> dict[str, bool | None]:
    return {t["target"]: t["met"] for t in report.targets(res)}


def test_first_visit_and_repaint_targets_are_judged_from_the_numbers() -> None:
    good = verdicts(result(742_000, 28_000, 4800, 90, 240))
    bad = verdicts(result(834_000, 41_000, 5500, 130, 260))
    names = [n for n in good if "visit" in n or "1.6 Mbit/s" in n or "key press" in n]
    assert len(names) == 5
    assert all(good[n] is True for n in names)
    assert all(bad[n] is False for n in names)


def test_table_has_the_browser_rows_and_the_kaleido_comparison() -> None:
    _, rows = report.table_rows(result(742_000, 28_000, 4800, 90, 240))
    by_label = {r[0]: r for r in rows}
    assert by_label["First visit: bytes on the wire, empty cache"][1] == "742.0 KB"
    assert by_label["Year step: key press to repainted map p95"][1] == "90 ms"
    wrong = next(r for r in rows if r[0].startswith("PNGs wrong or failed"))
    assert wrong[1:3] == ["0 of 8", "5 of 8"]
