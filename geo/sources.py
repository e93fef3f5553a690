"""What kind of page a source URL is: the rules that keep untrustworthy sources out.

A reader judges a record by its first link. Search pages, tag pages and forum threads show
nothing fixed; tracking parameters leak who shared the link; mirrors and wiki copies hide
the publisher. :func:`url_problem` names what is wrong with one URL (the validator turns it
into a ``file:line`` message); :func:`is_weak` marks blogs and mirrors, which on their own
cannot carry more than ``low`` confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlparse

#: Query parameters that only say who shared a link (the page is the same without them).
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|igshid|"
    r"at_(medium|campaign|source|content)|__twitter_impression|ref_src|_hsenc|_hsmi|"
    r"yclid|wt\.mc_id)$",
    re.IGNORECASE,
)
#: Path pieces of pages that list other pages (search results, tags, categories, forums).
_LISTING_PATH = re.compile(
    r"(^|/)(search|recherche|suche|archiv-suche|tag|tags|category|categories|categorie|"
    r"label|forums?|threads?|viewtopic\.php|showthread\.php)(/|$|\.)|/topic\d",
    re.IGNORECASE,
)
_LISTING_HOSTS = re.compile(r"(^|\.)(reddit\.com|quora\.com)$|^forums?\.", re.IGNORECASE)
#: Query parameters that hold a search term (Drupal's ``?q=node/123`` is an article).
_SEARCH_PARAMS = frozenset({"s", "q", "query", "search", "keyword", "keywords", "term"})
#: Copies of other publishers' pages: Wikipedia mirrors, offline wiki dumps, web proxies.
_MIRROR = re.compile(
    r"(kiwix|wiki\.x\.io|ipfs|wikiwand\.com|wikiclassic|renker\.it|\bwiki\.li$|idwikipedia|"
    r"perceptiopl|wiki2\.org|wikizero|justapedia|everybodywiki|alchetron|wikimili|"
    r"infogalactic|academic\.ru|fr-academic\.com|en-academic\.com|translate\.goog|"
    r"archive\.(ph|today|is)|clateway\.com)",
    re.IGNORECASE,
)
#: Offline Wikipedia dumps served from any host (``/content/wikipedia_en_all_maxi/...``).
_DUMP_PATH = re.compile(r"/wikipedia_[a-z]{2,3}_all", re.IGNORECASE)
#: Self-published platforms: a record resting only on these is ``low`` confidence.
_BLOG = re.compile(
    r"(\.blogspot\.[a-z.]+|\.wordpress\.com|(^|\.)medium\.com|\.substack\.com|"
    r"\.livejournal\.com|\.tumblr\.com)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)  # a dataset names each URL several times; validation reads them all
def url_problem(url: str) -> str | None:
    """Why ``url`` is not acceptable as a source, or None if it is."""
    try:
        parsed = urlparse(url)
        query = parse_qsl(parsed.query, keep_blank_values=True)
    except ValueError:
        return None  # the caller reports non-URLs
    tracking = sorted({k for k, _ in query if TRACKING_PARAMS.match(k)})
    if tracking:
        return ("tracking parameter " + ", ".join(tracking)
                + ": remove it (the page is the same without it)")
    if parsed.netloc.endswith("."):
        return "the host name ends with a dot: remove it"
    host = parsed.hostname or ""
    if _LISTING_HOSTS.search(host) or _LISTING_PATH.search(parsed.path):
        return "a search, tag, listing or forum page: cite the article itself"
    for key, value in query:
        if key.lower() in _SEARCH_PARAMS and value and value.lower() != "null" and not (
                value.startswith("node/") or value.startswith("node%2F")):
            return "a search results page: cite the article itself"
    return None


@lru_cache(maxsize=8192)  # a dataset names each URL several times; validation reads them all
def is_mirror(url: str) -> bool:
    """A copy of another publisher's page (a Wikipedia mirror, an offline dump, a proxy)."""
    try:
        netloc = urlparse(url).netloc
    except ValueError:
        return False
    return bool(_MIRROR.search(netloc) or _DUMP_PATH.search(url))


@lru_cache(maxsize=8192)  # a dataset names each URL several times; validation reads them all
def is_blog(url: str) -> bool:
    """A page on a self-publishing platform."""
    try:
        host = urlparse(url).hostname or ""
    except ValueError:
        return False
    return bool(_BLOG.search(host))


def is_weak(url: str) -> bool:
    """A blog or a mirror: on its own it cannot carry more than ``low`` confidence."""
    return is_mirror(url) or is_blog(url)


def all_weak(urls: Iterable[str]) -> bool:
    """Every source is weak (and there is at least one)."""
    urls = list(urls)
    return bool(urls) and all(is_weak(u) for u in urls)
