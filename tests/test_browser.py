"""The built book as a reader meets it: every page opened offline in headless Chromium.

``make test`` runs this after the strict build, with ``NONRECIPROCAL_HTML`` pointing to
``_build/html`` and ``CHROMIUM`` to Debian's ``chromium`` (the Makefile installs it when it
is missing). Playwright drives that executable; it downloads no browser of its own.

For every page:

* it loads nothing from the network (every request that is not a local file is aborted
  and recorded) and every local script, stylesheet, image and link it refers to exists;
* it logs no JavaScript error (console errors and uncaught exceptions);
* its equations are rendered: MathJax output for every maths element, no raw ``\\(``;
* at 420 px the navigation button opens the chapter list.

Chapter pages offer their executed notebook (``.ipynb``), without stderr outputs. Screenshots
(1280 px, and 420 px with the menu open) are written to ``_build/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ["NONRECIPROCAL_HTML"]) if os.environ.get("NONRECIPROCAL_HTML") else None
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "_build" / "screenshots"

pytestmark = pytest.mark.skipif(HTML is None, reason="needs NONRECIPROCAL_HTML (make test sets it after the build)")

CHAPTERS = ["framework", "xu_chiral_phonons", "li_flebus", "hanai_photoinduced"]


def _html_files() -> list[Path]:
    if HTML is None:
        return []
    skip = ("_static", "_sources", "_downloads", "_images")
    return sorted(p for p in HTML.rglob("*.html") if p.relative_to(HTML).parts[0] not in skip)


def _is_redirect(path: Path) -> bool:
    return path.read_text()[:200].lstrip().lower().startswith('<meta http-equiv="refresh"')


def _pages() -> list[str]:
    """Every page of the site, redirects (index.html) aside."""
    return [str(p.relative_to(HTML)) for p in _html_files() if not _is_redirect(p)]


def test_redirects_resolve():
    redirects = [p for p in _html_files() if _is_redirect(p)]
    for path in redirects:
        target = re.search(r'url=([^"]+)"', path.read_text()).group(1)
        assert (path.parent / target).is_file(), f"{path.name} redirects to {target}, which is missing"


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).is_file(), f"no Chromium at {CHROMIUM}: apt-get install chromium (make test does)"
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, page_path: str, width: int):
    """Open a page offline; return (page, errors, network requests)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    network: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            network.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto((HTML / page_path).as_uri(), wait_until="load")
    return page, errors, network


def _local_targets(page) -> list[str]:
    return page.evaluate(
        """() => [
            ...Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
            ...Array.from(document.querySelectorAll('script[src], img[src]')).map(e => e.getAttribute('src')),
            ...Array.from(document.querySelectorAll('link[href]')).map(e => e.getAttribute('href')),
        ]"""
    )


def _missing_files(page_url: str, targets: list[str]) -> list[str]:
    """Relative targets that are no file of the site (relative to the page shown: a redirect
    page such as index.html has moved on to its target)."""
    base = Path(unquote(urlparse(page_url).path)).parent
    missing = []
    for target in targets:
        url = urlparse(target)
        if url.scheme or target.startswith("#") or not url.path:
            continue
        if not (base / unquote(url.path)).resolve().exists():
            missing.append(target)
    return sorted(set(missing))


@pytest.mark.parametrize("page_path", _pages())
def test_page_offline_without_errors_and_with_rendered_maths(browser, page_path):
    page, errors, network = _open(browser, page_path, 1280)
    try:
        n_math = page.locator(".math").count()
        if n_math:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
            page.evaluate("() => MathJax.startup.promise")
            rendered = page.locator("mjx-container").count()
            assert rendered >= n_math, f"{page_path}: {rendered} MathJax outputs for {n_math} maths elements"
            raw = page.evaluate(
                r"""() => { const b = document.body.cloneNode(true);
                    b.querySelectorAll('pre, code, script, mjx-container').forEach(e => e.remove());
                    const t = b.textContent; return ['\\(', '\\[', '$$'].filter(s => t.includes(s)); }"""
            )
            assert not raw, f"{page_path}: raw TeX delimiters in the text: {raw}"
        assert not network, f"{page_path} requested from the network: {network}"
        assert not errors, f"{page_path}: JavaScript errors: {errors}"
        missing = _missing_files(page.url, _local_targets(page))
        assert not missing, f"{page_path}: links to files that the site does not hold: {missing}"
        if page_path in ("book/intro.html", "book/li_flebus.html", "book/report_card.html"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{Path(page_path).stem}-1280.png")
    finally:
        page.context.close()


@pytest.mark.parametrize("page_path", _pages())
def test_navigation_opens_at_420px(browser, page_path):
    page, errors, _ = _open(browser, page_path, 420)
    try:
        if page.locator("#pst-primary-sidebar").count() == 0:
            pytest.skip(f"{page_path} has no navigation sidebar (a redirect or a bare page)")
        toggle = page.locator(".primary-toggle:visible").first
        assert toggle.count() == 1, f"{page_path}: no visible navigation button at 420 px"
        # the other chapters and result pages (the current page links to "#")
        targets = [f"{c}.html" for c in CHAPTERS] + ["report_card.html", "figures.html"]
        targets = [t for t in targets if t != Path(page_path).name]
        links = [page.locator(f'nav.bd-docs-nav a[href$="{t}"]').first for t in targets]
        assert not any(link.is_visible() for link in links), f"{page_path}: the chapter list is already open at 420 px"
        toggle.click()
        page.wait_for_timeout(300)
        assert page.evaluate("() => document.getElementById('pst-primary-sidebar-modal').open")
        hidden = [t for t, link in zip(targets, links) if not link.is_visible()]
        assert not hidden, f"{page_path}: the navigation button did not show the links to {hidden}"
        assert not errors, f"{page_path}: JavaScript errors: {errors}"
        if page_path in ("book/intro.html", "book/li_flebus.html"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{Path(page_path).stem}-420-menu.png")
    finally:
        page.context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_offers_its_executed_notebook(browser, chapter):
    page, _, _ = _open(browser, f"book/{chapter}.html", 1280)
    try:
        links = page.evaluate(
            "() => Array.from(document.querySelectorAll('.dropdown-download-buttons a')).map(a => a.getAttribute('href'))"
        )
    finally:
        page.context.close()
    notebooks = [h for h in links if h.endswith(".ipynb")]
    assert notebooks, f"{chapter}: the download menu offers {links}, no .ipynb"
    path = (HTML / "book" / notebooks[0]).resolve()
    assert path.is_file(), f"{chapter}: {notebooks[0]} does not resolve"
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and any(c.get("outputs") for c in code), f"{chapter}: the notebook is not executed"
    stderr = [o for c in code for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"{chapter}: the notebook keeps stderr outputs (progress bars, warnings)"


def test_site_ships_mathjax_notebooks_figures_and_report_card():
    assert (HTML / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert list((HTML / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    for chapter in CHAPTERS:
        assert (HTML / "_sources" / "book" / f"{chapter}.ipynb").is_file()
    assert (HTML / "book" / "report_card.html").is_file()
    downloads = {p.name for p in (HTML / "_downloads").rglob("*") if p.is_file()}
    for png in (ROOT / "figures").glob("*/*.png"):
        assert png.name in downloads and png.with_suffix(".csv").name in downloads, f"{png.name} not in the site"
