"""Headless Chromium (Debian's package) driven by Playwright, with axe-core injected (tests only)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GBVS_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(
    os.environ.get("GBVS_AXE_JS", REPO / ".cache" / "web-test" / "node_modules" / "axe-core" / "axe.min.js")
)
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def missing_tools() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}; run `apt-get install -y chromium` (or .ci/run)"
    if not AXE_JS.is_file():
        return f"axe-core not found at {AXE_JS}; run `npm install --prefix .cache/web-test axe-core@4.11.0`"
    return None


def launch(playwright: Any) -> Any:
    """A headless Chromium from the system package (Playwright's own browser builds are not used)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page; the serious and critical WCAG A/AA violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height), 12000)})  # one capture, no stitching
    page.screenshot(path=str(path))
    return path
