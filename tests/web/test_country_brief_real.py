"""The country brief on the real mirror (issue 12): Syria, a country with every section filled, fits one page.

Integration test: ingests ../shared/data once per session and makes a conflict forecast.
"""

from __future__ import annotations

import httpx
import pypdfium2
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_brief_of_syria_on_real_data_is_one_a4_page(real_server: str, lang: str) -> None:
    answer = httpx.get(f"{real_server}/landen/SYR/brief.pdf?lang={lang}", timeout=120)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(answer.content)
    try:
        assert len(document) == 1
        assert tuple(round(v) for v in document[0].get_size()) == (595, 842)
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "DemSpaces" in text and "UCDP/PRIO Armed Conflict Dataset" in text
    assert ("Doden waar" if lang == "nl" else "Deaths where") in text and "conflict" in text
    # 2019: 7,541 where the fighting happened (GED), 7,379 by conflict (dyadic BRD)
    assert ("2019 ja ja 7.541 7.379" if lang == "nl" else "2019 yes yes 7,541 7,379") in text
