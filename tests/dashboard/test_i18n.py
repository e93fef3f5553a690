"""Translations: every interface string has a French translation, the catalogs are current,
names come from CLDR, numbers are formatted for the locale, and the language is negotiated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from dashboard.view.i18n import LOCALE_DIR, negotiate, place_name, tr
from tests.paths import REPO

#: The Translator's calls (t(), t.n(), translate()) and the N_ marker (see babel.cfg).
KEYWORDS = ("-k", "t", "-k", "N_", "-k", "n:1,2", "-k", "translate:2")
PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.mo"


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(REPO / "babel.cfg"), *KEYWORDS, "-o", str(pot), "--no-location",
                    "dashboard"], cwd=REPO, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.slow  # extracts every interface string of the source with Babel (seconds)
def test_every_interface_string_has_a_french_translation(tmp_path) -> None:
    """Extract the strings from the code now: each must be in the French catalog, translated."""
    extracted = _extract(tmp_path)
    assert len(extracted) > 150
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        translated[key] = all(s and s.strip() for s in strings) and not m.fuzzy
    missing = sorted(s for s in extracted if s not in translated)
    untranslated = sorted(s for s in extracted if s in translated and not translated[s])
    assert missing == [], f"not in the catalog (run pybabel update): {missing[:10]}"
    assert untranslated == [], f"no French translation: {untranslated[:10]}"


def test_the_compiled_catalog_matches_the_po_file() -> None:
    def strings(messages) -> dict:
        return {(tuple(m.id) if isinstance(m.id, list | tuple) else m.id):
                (tuple(m.string) if isinstance(m.string, list | tuple) else m.string)
                for m in messages if m.id}

    with PO.open("rb") as f:
        po = strings(read_po(f))
    with MO.open("rb") as f:
        mo = strings(read_mo(f))
    assert po == mo, "run: pybabel compile -d dashboard/locale"


def test_names_and_numbers_come_from_cldr() -> None:
    assert place_name("TCD", "Chad", "fr") == "Tchad"
    assert place_name("CIV", "Côte d'Ivoire", "fr") == "Côte d’Ivoire"
    assert place_name("USA", "United States", "fr") == "États-Unis"
    assert place_name("ARE", "United Arab Emirates", "fr") == "Émirats arabes unis"
    assert place_name("SOL", "Somaliland", "fr") == "Somaliland"  # no CLDR name: dataset's
    assert place_name("TCD", "Chad", "en") == "Chad"
    assert tr("fr").num(12345) == "12\u202f345"
    assert tr("en").num(12345) == "12,345"
    assert tr("fr").n("{n} installation", "{n} installations", 2) == "2 installations"


def test_language_from_accept_language() -> None:
    assert negotiate(["fr-FR", "en"]) == "fr"
    assert negotiate(["de", "fr-CA"]) == "fr"
    assert negotiate(["de", "es"]) == "en"
    assert negotiate([]) == "en"


def test_the_page_follows_accept_language_and_the_link(app) -> None:
    """No lang in the link: the browser's language; lang in the link wins; html lang set."""
    client = app.server.test_client()
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert b'<html lang="fr">' in page.data
    assert "Présence militaire étrangère en Afrique".encode() in page.data
    layout = client.get("/_dash-layout", headers={"Accept-Language": "fr",
                                                  "Referer": "http://localhost/"})
    assert b"Colorer les pays selon" in layout.data
    english = client.get("/?lang=en", headers={"Accept-Language": "fr"})
    assert b'<html lang="en">' in english.data
    layout = client.get("/_dash-layout", headers={
        "Accept-Language": "fr", "Referer": "http://localhost/?year=2019&lang=en"})
    assert b"Colour countries by" in layout.data and b"Colorer" not in layout.data
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=fr"})
    assert b"Colorer les pays selon" in layout.data


@pytest.mark.slow  # draws an SVG with the Kaleido browser
def test_export_in_french(tmp_path, ds) -> None:
    """`africa-presence export --lang fr`: titles, legends and footer in French (SVG text)."""
    from dashboard import cli

    out = tmp_path / "carte.svg"
    assert cli.main(["export", "--year", "2020", "--lang", "fr", "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "Présence militaire étrangère en Afrique, 2020" in text
    assert "Exporté le" in text and "Puissance étrangère" in text
    out = tmp_path / "tableau.csv"
    assert cli.main(["export", "--tab", "table", "--year", "2020", "--lang", "fr",
                     "--out", str(out)]) == 0
    head = out.read_text("utf-8").splitlines()[0]
    assert head.startswith("Pays,Puissances étrangères")
