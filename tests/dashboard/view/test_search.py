"""Search: ranking, accents, the result cap, the index built once, and what a pick does."""

from __future__ import annotations

from dashboard.view.search import apply_pick, fold, index, on_map, search
from dashboard.view.state import ViewState


def keys(hits):
    return [(h.kind, h.key) for h in hits]


def test_accented_and_plain_spellings_both_match(ds) -> None:
    assert fold("Agaléga  Ménaka") == "agalega menaka"
    plain = keys(search(ds, "Agalega"))
    assert plain and plain == keys(search(ds, "Agaléga"))
    assert any(k == "IN-MUS-1" for _, k in plain)
    assert ("country", "CIV") in keys(search(ds, "cote d'ivoire"))
    assert ("country", "CIV") in keys(search(ds, "Côte d’Ivoire"))


def test_exact_and_prefix_names_rank_first(ds) -> None:
    hits = search(ds, "mali")
    assert (hits[0].kind, hits[0].key) == ("country", "MLI")
    hits = search(ds, "Russia")
    assert (hits[0].kind, hits[0].key) == ("power", "RUS")
    hits = search(ds, "niger")
    assert hits[0].key == "NER"  # exact before "Nigeria" (prefix)
    assert [h.key for h in hits[:2]] == ["NER", "NGA"]


def test_installations_by_name_or_site_and_agreements_by_summary(ds) -> None:
    assert any(h.kind == "installation" and h.key == "US-DJI-1"
               for h in search(ds, "Lemonnier"))
    assert any(h.kind == "installation" and h.key.startswith("RU-CAF")
               for h in search(ds, "Berengo"))
    summary = str(ds.agreements.loc[ds.agreements["id"] == "RU-MLI-A1", "summary"].iloc[0])
    word = max(summary.split(), key=len).strip(".,;()")
    assert ("agreement", "RU-MLI-A1") in keys(search(ds, f"{word} Mali", limit=50))


def test_at_most_ten_results_and_odd_queries_find_nothing(ds) -> None:
    assert len(search(ds, "a")) == 10
    for q in ("", "   ", None, 42, ["mali"], "zzzzqqq"):
        assert search(ds, q) == []


def test_index_is_built_once_per_dataset(ds) -> None:
    assert index(ds) is index(ds)
    n = len(ds.countries) + len(ds.powers) + len(ds.installations) + len(ds.agreements)
    assert len(index(ds)) == n


def test_picking_a_country_a_power_a_record(ds) -> None:
    state = ViewState(year=2024)
    assert apply_pick(ds, state, "country", "MLI").country == "MLI"
    assert apply_pick(ds, state, "power", "TUR").powers == ("TUR",)
    # Gao (France, 2013-2022) is not on the 2024 map: the year moves to the nearest one.
    picked = apply_pick(ds, state, "installation", "FR-MLI-1")
    assert (picked.country, picked.record, picked.year) == ("MLI", "FR-MLI-1", 2022)
    assert on_map(ds, picked, "FR-MLI-1")
    # On the map already: the year stays.
    picked = apply_pick(ds, ViewState(year=2018), "record", "FR-MLI-1")
    assert picked.year == 2018
    # Hidden by the filters in every year: they widen to show it.
    hidden = ViewState(year=2018, powers=("RUS",), layers=("countries",))
    picked = apply_pick(ds, hidden, "record", "FR-MLI-1")
    assert "FRA" in picked.powers and "installations" in picked.layers
    assert on_map(ds, picked, "FR-MLI-1")
    # Unknown things change nothing.
    assert apply_pick(ds, state, "record", "NOPE") == state
    assert apply_pick(ds, state, "bogus", "MLI") == state


def test_picking_a_record_moving_onto_the_compare_year_drops_compare(ds) -> None:
    picked = apply_pick(ds, ViewState(year=2026, compare=2022), "record", "FR-MLI-1")
    # Gao is among the changes 2022 -> 2026 (closed 2022): listed, so no move.
    assert picked.year == 2026 and picked.compare == 2022
    picked = apply_pick(ds, ViewState(year=2026, compare=2023), "record", "FR-MLI-1")
    assert picked.year == 2022 and picked.compare == 2023


def _naive(ds, query, limit=10):
    """The ranking rule applied to every entry, no shortcuts: what search() must return."""
    from dashboard.view.search import KINDS, _rank

    q = fold(query)
    tokens = q.split()
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    scored = sorted((_rank(e, q, tokens), kind_rank[e.kind], e.name, i)
                    for i, e in enumerate(index(ds)) if all(t in e.hay for t in tokens))
    return [(index(ds)[i].kind, index(ds)[i].key) for *_, i in scored[:limit]]


def test_the_fast_path_ranks_exactly_like_the_rule(ds) -> None:
    for query in ("a", "m", "me", "men", "ni", "niger", "camp", "fr", "france", "base",
                  "djibouti", "gao desert", "russia mali", "rus", "us-", "fr-mli-1", "x",
                  "e", "naval base", "wagner"):
        assert keys(search(ds, query)) == _naive(ds, query), query
