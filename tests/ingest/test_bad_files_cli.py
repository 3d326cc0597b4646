"""``gbvs ingest`` from a mirror in which one source file is damaged and the source before it is good:
the command refuses with the input exit code and no traceback, the message names the file and the fix
in Dutch (English with GBVS_LANGUAGE=en), and the previous store stays byte-identical (docs/sources.md:
the store is replaced in one step, so no good source is half-written into it)."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.errors import InputError
from gbvs.store import Store

Run = Callable[..., Any]
GOOD = "ucdp/UcdpPrioConflict_v25_1_to2023.csv"  # ucdp_acd, read first, intact
BRD_PINNED = "ucdp/BattleDeaths_v24_1.csv"  # ucdp_brd, read second: the file damaged here
BRD_RELEASE = "ucdp/ucdp-brd-dyadic-251-csv.zip"  # its newer release, which has no pinned checksum


def _rewritten(text: str, drop: str | None = None, delimiter: str = ",") -> str:
    """``text`` written again as a spreadsheet would: without the column ``drop``, or with ``delimiter``."""
    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index(drop) if drop else len(rows[0])
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(
        row[:at] + row[at + 1 :] for row in rows
    )
    return out.getvalue()


def _zip(text: bytes) -> Callable[[Path], Path]:
    def put(mirror: Path) -> Path:
        with zipfile.ZipFile(mirror / BRD_RELEASE, "w") as archive:
            archive.writestr("ucdp-brd-dyadic-251.csv", text)
        return mirror / BRD_RELEASE

    return put


def _changed_pinned(mirror: Path) -> Path:
    target = mirror / BRD_PINNED
    data = target.read_bytes()
    target.write_bytes(data[:-20] + data[-20:].replace(b"1", b"2", 1))
    return target


def _no_file(mirror: Path) -> Path:
    (mirror / BRD_PINNED).unlink()
    return Path(BRD_PINNED).name


def _not_a_zip(mirror: Path) -> Path:
    (mirror / BRD_RELEASE).write_bytes(b"<html>503 Service Unavailable</html>")
    return mirror / BRD_RELEASE


@pytest.fixture
def brd_text(mirror: Path) -> str:
    return (mirror / BRD_PINNED).read_text(encoding="utf-8")


DAMAGES: list[Any] = [
    pytest.param(lambda t: _changed_pinned, "Oplossing: vervang het in de datakopie door", id="checksum"),
    pytest.param(lambda t: _no_file, "niet gevonden in de datakopie", id="missing"),
    pytest.param(lambda t: _not_a_zip, "geen geldig zip-bestand", id="not-a-zip"),
    pytest.param(lambda t: _zip(b""), "het bestand is leeg", id="empty"),
    pytest.param(lambda t: _zip(t[: len(t) // 2].encode()), "eindigt midden in een regel", id="truncated"),
    pytest.param(lambda t: _zip(t.encode("utf-16")), "verwacht werd UTF-8-tekst", id="utf-16"),
    pytest.param(
        lambda t: _zip(_rewritten(t, delimiter=";").encode()), "gescheiden door puntkomma's", id="semicolons"
    ),
    pytest.param(lambda t: _zip(_rewritten(t, drop="bd_best").encode()), "bd_best", id="missing-column"),
]


def _mirror_with(tmp_path: Path, mirror: Path) -> Path:
    copy = tmp_path / "mirror"
    (copy / "ucdp").mkdir(parents=True)
    for name in ("SOURCES.md", GOOD, BRD_PINNED):
        shutil.copy(mirror / name, copy / name)
    return copy


@pytest.mark.integration
@pytest.mark.parametrize(("damage", "message"), DAMAGES)
def test_a_damaged_source_after_a_good_one_is_refused_and_the_store_kept(
    small_store: Path,
    mirror: Path,
    brd_text: str,
    tmp_path: Path,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[str], Callable[[Path], Path]],
    message: str,
) -> None:
    copy = _mirror_with(tmp_path, mirror)
    named = damage(brd_text)(copy)
    monkeypatch.setenv("GBVS_MIRROR", str(copy))
    monkeypatch.setenv("GBVS_STORE_PATH", str(small_store))
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    before = small_store.read_bytes()
    result = run_cli("ingest")
    assert result.exit_code == InputError.exit_code, result.stderr
    failure = result.stderr[result.stderr.rindex("fout: ") :]
    assert "Traceback" not in result.stderr
    assert str(named) in failure and message in failure, failure
    assert "Oplossing: " in failure or "anders: zet het oorspronkelijke bestand terug" in failure
    assert small_store.read_bytes() == before
    with Store(small_store) as opened:
        assert opened.tables() == ["marker"]
    assert not list(small_store.parent.glob(f".{small_store.name}.*"))


@pytest.mark.integration
def test_the_refusal_is_english_when_the_setting_says_so(
    small_store: Path,
    mirror: Path,
    brd_text: str,
    tmp_path: Path,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = _mirror_with(tmp_path, mirror)
    zipped = _zip(brd_text[: len(brd_text) // 2].encode())(copy)
    monkeypatch.setenv("GBVS_MIRROR", str(copy))
    monkeypatch.setenv("GBVS_STORE_PATH", str(small_store))
    monkeypatch.setenv("GBVS_LANGUAGE", "en")
    result = run_cli("ingest")
    assert result.exit_code == InputError.exit_code
    failure = result.stderr[result.stderr.rindex("error: ") :]
    assert f"{zipped} (member *.csv): the file ends in the middle of a row" in failure
    assert "so it is truncated; restore the original file (see `gbvs sources`" in failure
