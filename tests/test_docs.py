"""The README and docs/ name only files that exist, and the README stays a short front page.

Docs rot quietly: a module moves (``dashboard/figures.py`` became ``dashboard/figures/``) and
the prose keeps pointing at the old place. These tests read README.md and docs/*.md and check
every project path they name in an inline code span or a markdown link, every relative link
target, and every ``python -m`` module of the project.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.paths import REPO

README = REPO / "README.md"
DOCS = REPO / "docs"
MAX_README_LINES = 200

#: Top-level folders whose paths a doc may name; a token starting with one is a project path.
PROJECT_DIRS = ("dashboard", "geo", "data", "tests", "bench", "docs", ".ci")
#: Packages of the project, for ``python -m PACKAGE.module``.
PROJECT_PACKAGES = ("dashboard", "geo", "bench", "tests")

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_MODULE = re.compile(r"python3?\s+-m\s+([A-Za-z_][\w.]*)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Not a literal path: globs, placeholders (<id>, {year}, $VAR), elisions.
_NOT_LITERAL = re.compile(r"[*?\[\]<>{}$…]|\.\.\.")


def doc_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks (commands there may name outputs)."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def _clean(token: str) -> str | None:
    """A path-like token without anchor, ``:line`` suffix or trailing punctuation; None if it
    is a URL, a glob or a placeholder."""
    token = token.strip().strip("\"'")
    if not token or "://" in token or _SCHEME.match(token):
        return None
    token = token.split("#", 1)[0].split("?", 1)[0]
    token = re.sub(r"(:\d+)+$", "", token).rstrip(".,;:)")
    if not token or _NOT_LITERAL.search(token):
        return None
    return token


def _is_project_path(token: str) -> bool:
    first = token.removeprefix("./").split("/", 1)[0]
    return "/" in token and first in PROJECT_DIRS


def project_paths(text: str) -> list[tuple[int, str]]:
    """Every project path named in an inline code span or a link target, with its line."""
    found = []
    for number, line in _prose_lines(text):
        candidates = []
        for span in _CODE_SPAN.finditer(line):
            candidates += span.group(2).split()
        candidates += [m.group(1) for m in _INLINE_LINK.finditer(line)]
        for raw in candidates:
            token = _clean(raw)
            if token and _is_project_path(token):
                found.append((number, token))
    return found


def link_targets(text: str, *, keep_anchor: bool = False) -> list[tuple[int, str]]:
    """Every relative link target (inline, image or reference style), anchor removed unless
    ``keep_anchor``."""
    found = []
    for number, line in _prose_lines(text):
        targets = [m.group(1) for m in _INLINE_LINK.finditer(line)]
        ref = _REF_LINK.match(line)
        if ref:
            targets.append(ref.group(1))
        for target in targets:
            if target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            if path and not _NOT_LITERAL.search(path):
                found.append((number, target if keep_anchor else path))
    return found


def project_modules(text: str) -> list[tuple[int, str]]:
    """Every ``python -m`` module of the project named anywhere, code blocks included."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for m in _MODULE.finditer(line):
            module = m.group(1).rstrip(".")
            if module.split(".", 1)[0] in PROJECT_PACKAGES:
                found.append((number, module))
    return found


def anchors(doc: Path) -> set[str]:
    """The heading anchors GitHub makes for ``doc`` (lower case, punctuation dropped,
    spaces to hyphens, ``-1``, ``-2``... for repeats)."""
    seen: dict[str, int] = {}
    for _, line in _prose_lines(doc.read_text("utf-8")):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            seen.setdefault(f"{slug}-{count}", 1)
    return set(seen)


def _module_exists(module: str) -> bool:
    base = REPO.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__main__.py").is_file()


def _name(doc: Path) -> str:
    return str(doc.relative_to(REPO))


@pytest.mark.parametrize("doc", doc_files(), ids=_name)
def test_every_project_path_named_exists(doc: Path) -> None:
    missing = [f"{_name(doc)}:{n}: {p}" for n, p in project_paths(doc.read_text("utf-8"))
               if not (REPO / p).exists()]
    assert missing == [], "paths that do not exist:\n" + "\n".join(missing)


@pytest.mark.parametrize("doc", doc_files(), ids=_name)
def test_every_relative_link_target_exists(doc: Path) -> None:
    missing = [f"{_name(doc)}:{n}: {t}" for n, t in link_targets(doc.read_text("utf-8"))
               if not (doc.parent / t).exists()]
    assert missing == [], "broken links:\n" + "\n".join(missing)


@pytest.mark.parametrize("doc", doc_files(), ids=_name)
def test_every_anchor_into_a_markdown_file_exists(doc: Path) -> None:
    broken = []
    for n, target in link_targets(doc.read_text("utf-8"), keep_anchor=True):
        path, _, anchor = target.partition("#")
        file = doc.parent / path
        if anchor and file.suffix == ".md" and file.is_file() and anchor not in anchors(file):
            broken.append(f"{_name(doc)}:{n}: {target}")
    assert broken == [], "links to a heading that does not exist:\n" + "\n".join(broken)


@pytest.mark.parametrize("doc", doc_files(), ids=_name)
def test_every_project_module_run_with_python_m_exists(doc: Path) -> None:
    missing = [f"{_name(doc)}:{n}: python -m {m}"
               for n, m in project_modules(doc.read_text("utf-8")) if not _module_exists(m)]
    assert missing == [], "modules that do not exist:\n" + "\n".join(missing)


def test_readme_is_a_short_front_page() -> None:
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines (at most {MAX_README_LINES}): move details to docs/")


def test_readme_keeps_the_test_command_ci_runs() -> None:
    """.ci/run runs the README's test command, `make test`, from the Quick start."""
    text = README.read_text("utf-8")
    quick = text.split("\n## Quick start\n", 1)
    assert len(quick) == 2, "README.md lost its '## Quick start' section"
    section = quick[1].split("\n## ", 1)[0]
    assert re.search(r"^make test\b", section, re.M), "the Quick start lost `make test`"
    assert re.search(r"^make test\b", (REPO / ".ci" / "run").read_text("utf-8"), re.M)


def test_the_docs_are_linked_from_the_readme() -> None:
    targets = {t for _, t in link_targets(README.read_text("utf-8"))}
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if f"docs/{p.name}" not in targets]
    assert unlinked == []


def test_the_scanners_find_what_they_should_and_skip_the_rest() -> None:
    """The checks above pass vacuously if the scanners find nothing: pin what they see."""
    sample = "\n".join([
        "See `dashboard/view/state.py`, `geo/validate.py:178` and [data](data/README.md#x).",
        "Not paths: `bench/results/bench-<time>.json`, `tests/*.py`, `dashboard/<pkg>/`,",
        "`https://example.org/data/x`, `/assets/topojson/`, `python -m pytest`, `maps/`.",
        "![shot](docs/screenshot.png) [site](https://example.org) [top](#quick-start)",
        "```sh",
        "africa-presence export --out data/nowhere/map.png   # `data/nowhere.txt`",
        "```",
        "[ref]: ../LICENSE",
    ])
    assert [p for _, p in project_paths(sample)] == [
        "dashboard/view/state.py", "geo/validate.py", "data/README.md", "docs/screenshot.png"]
    assert [t for _, t in link_targets(sample)] == [
        "data/README.md", "docs/screenshot.png", "../LICENSE"]
    assert [m for _, m in project_modules("python -m bench.load; python -m pytest")] == [
        "bench.load"]
    # And on the real docs they find plenty.
    assert sum(len(project_paths(d.read_text("utf-8"))) for d in doc_files()) > 30


def test_anchors_are_made_as_github_makes_them(tmp_path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("# Title\n\n### personnel.csv\n\n## Exports\n\n## Exports\n\n"
                   "## How to add or correct a record\n\n```\n# not a heading\n```\n", "utf-8")
    assert anchors(doc) == {"title", "personnelcsv", "exports", "exports-1",
                            "how-to-add-or-correct-a-record"}
