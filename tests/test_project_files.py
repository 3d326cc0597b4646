"""LICENSE is the complete EUPL-1.2 text and publiccode.yml follows the publiccode.yml 0.4 standard."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Required by the standard but not known yet; the file's header says so. Remove from here once filled in.
PENDING = {"url", "maintenance.contacts"}
# The controlled vocabulary of publiccode.yml categories (docs/standard/categories-list.rst).
_CATEGORY_WORDS = """
    accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design design-system
    digital-asset-management digital-citizenship document-management donor-management e-commerce
    e-signature educational-content email-management email-marketing employee-management
    enterprise-project-management enterprise-social-networking erp event-management facility-management
    feedback-and-reviews-management financial-reporting fleet-management fundraising gamification
    geographic-information-systems grant-management graphic-design help-desk hr ide identity-management
    instant-messaging inventory-management it-asset-management it-development it-management it-security
    it-service-management knowledge-management learning-management-system marketing mind-mapping
    mobile-marketing mobile-payment network-management office online-booking online-community
    payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management remote-support resource-management
    sales-management seo service-desk social-media-management survey talent-management task-management
    taxes-management test-management time-management time-tracking translation video-conferencing
    video-editing visitor-management voip warehouse-management web-collaboration web-conferencing
    website-builder whistleblowing workflow-management
"""
CATEGORIES = frozenset(_CATEGORY_WORDS.split())
SCOPES = {"defence", "foreign-affairs", "justice", "security", "research", "society", "emergency-services"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}


def _publiccode() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _has(data: dict[str, Any], dotted: str) -> bool:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return node not in (None, "", [])


def test_publiccode_has_the_required_keys() -> None:
    data = _publiccode()
    required = [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "legal.license",
        "maintenance.type",
        "localisation.localisationReady",
        "localisation.availableLanguages",
    ]
    if data["maintenance"]["type"] in ("internal", "community"):
        required.append("maintenance.contacts")
    missing = [key for key in required if not _has(data, key)]
    assert sorted(missing) == sorted(PENDING & set(required)), f"missing keys: {missing}"


def test_publiccode_values_follow_the_standard() -> None:
    data = _publiccode()
    assert data["publiccodeYmlVersion"] == "0.4" and data["name"] == "GBVS"
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] in SOFTWARE_TYPES
    assert set(data["categories"]) <= CATEGORIES
    assert set(data["intendedAudience"]["scope"]) <= SCOPES
    assert data["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert data["localisation"]["availableLanguages"] == ["nl", "en"]
    optional = {dep["name"]: dep.get("optional", False) for dep in data["dependsOn"]["open"]}
    assert optional["PostgreSQL"] is True
    if "url" in data:
        assert re.match(r"^https://\S+$", data["url"]) and "example" not in data["url"]


def test_publiccode_descriptions_in_dutch_and_english() -> None:
    description = _publiccode()["description"]
    assert set(description) == {"nl", "en"}
    for language, text in description.items():
        assert 0 < len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10_000, language
        assert len(text["features"]) >= 5, language


def test_licence_is_the_same_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == _publiccode()["legal"]["license"] == "EUPL-1.2"


def test_license_file_is_the_complete_eupl_1_2() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    articles = re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)
    assert articles == [str(n) for n in range(1, 16)]
    assert "\nAppendix\n" in text and "Compatible Licences' according to Article 5 EUPL are:" in text
    for licence in ("GNU General Public License (GPL) v. 2, v. 3", "Mozilla Public Licence (MPL) v. 2"):
        assert licence in text
    assert "LiLiQ-R+" in text
    assert text.rstrip().endswith("require the production of a new\nEUPL version.")
