"""Translations: every interface string has a French translation, the catalogs are current,
names come from CLDR, numbers are formatted for the locale, and the language is negotiated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from dashboard.view.i18n import LOCALE_DIR, negotiate, place_name, tr
from tests.paths import REPO

PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.mo"


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(REPO / "babel.cfg"), "-k", "N_", "-k", "n:1,2", "-o", str(pot),
                    "--no-location", "dashboard"], cwd=REPO, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


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
    with PO.open("rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id}
    with MO.open("rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
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
