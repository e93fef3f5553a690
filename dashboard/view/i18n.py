"""Languages: gettext catalogs for the interface, CLDR (Babel) for names and numbers.

Every string a reader sees goes through :func:`tr` (``t = tr(state.lang)``, then
``t("Map")``); module-level labels are marked with :func:`N_` so ``pybabel extract`` finds
them, and translated where they are shown. Country and power names come from Babel's CLDR
locale data (alpha-3 codes mapped to CLDR's alpha-2 by pycountry), never typed by hand; the
dataset's free text (record names, notes, summaries) stays in English.

Catalogs: ``dashboard/locale/<lang>/LC_MESSAGES/messages.po`` (edit with any gettext tool),
compiled to ``.mo`` by ``pybabel compile -d dashboard/locale`` and shipped in the wheel.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal
from babel.support import Translations

LANGS: tuple[str, ...] = ("en", "fr")
DEFAULT_LANG = "en"
LANG_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@lru_cache(maxsize=8)
def _catalog(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANG or lang not in LANGS:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


class Translator:
    """``t(msg)`` translates; ``t.n(one, many, n)`` picks the plural; ``t.num(n)`` formats."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self._c = _catalog(self.lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self._c.gettext(message)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, n: int, **values: object) -> str:
        """Plural form for ``n``; ``{n}`` in the message is the formatted number."""
        text = self._c.ngettext(singular, plural, n)
        return text.format(n=self.num(n), **values)

    def num(self, n: int | float) -> str:
        """A number in the locale's format (12,345 in English, 12 345 in French)."""
        return format_decimal(n, locale=self.lang)


@lru_cache(maxsize=8)
def tr(lang: str | None) -> Translator:
    """The translator of ``lang`` (English for anything unknown)."""
    return Translator(lang or DEFAULT_LANG)


def translate(lang: str | None, message: str, **values: object) -> str:
    """``message`` in ``lang`` (a one-off; :func:`tr` gives a translator to keep)."""
    return tr(lang)(message, **values)


def negotiate(accepted: Iterable[str]) -> str:
    """The language a browser's ``Accept-Language`` preference list asks for (best first)."""
    for tag in accepted:
        base = str(tag).replace("_", "-").split("-")[0].strip().lower()
        if base in LANGS:
            return base
    return DEFAULT_LANG


@lru_cache(maxsize=512)
def _territory(code: str, lang: str) -> str | None:
    import pycountry  # ISO 3166 alpha-3 -> alpha-2 (CLDR is keyed by alpha-2)

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    return Locale.parse(lang).territories.get(country.alpha_2)


def place_name(code: str, english: str, lang: str) -> str:
    """A country's (or a foreign power's) name in ``lang`` from CLDR; the dataset's English
    name where CLDR has none (Somaliland) or the language is English."""
    if lang == DEFAULT_LANG:
        return english
    return _territory(code, lang) or english
