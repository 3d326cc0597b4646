"""The public signal datasets as signal drafts: CFR cyber operations and EUvsDisinfo cases.

Pure mapping from the parsed frames (see :mod:`gbvs.sources.signals_public`) to
:class:`~gbvs.signals.model.SignalDraft`. Public data is TLP:CLEAR, distribution public. GBVS does
not judge the reliability of these compilations, so they carry Admiralty F6 ("cannot be judged")
until an analyst assesses them.

Interpretations (also in the source notes):
- CFR: the sponsor state is the actor; victims that name a country are targets; threat 2 (cyber),
  goal 6 (cyber deterrence, attribution). CFR's date is its entry date, so it is the *reported*
  date; rows without a date get the snapshot's last date and say so in ``extra``.
- EUvsDisinfo: the database collects pro-Kremlin disinformation, so Russia is the actor state;
  the countries a case names are targets; threat 3 (interference), goal 8.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pandas as pd

from gbvs.countries.matching import iso3_from_name
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import TAG_MAX, TITLE_MAX, Reference, SignalDraft, SignalKind

PUBLIC_OWNER = "PUBLIEK"
"""The organisation code that owns imported public data."""

CountryResolver = Callable[[str], str | None]


def _split(value: object, separator: str) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(separator) if part.strip()]


def _countries(names: list[str], resolve: CountryResolver) -> tuple[str, ...]:
    codes = (resolve(name) for name in names)
    return tuple(dict.fromkeys(code for code in codes if code))


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def _day(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def cfr_drafts(frame: pd.DataFrame, resolve: CountryResolver = iso3_from_name) -> Iterator[SignalDraft]:
    """One cyber-operation draft per CFR tracker row."""
    last = max(d for d in map(_day, frame["date"]) if d is not None)
    for number, row in enumerate(frame.to_dict("records"), start=1):
        entered = _day(row["date"])
        extra = {"cfr_type": str(row.get("type") or ""), "affiliations": str(row.get("affiliations") or "")}
        if entered is None:
            extra["date_note"] = f"no date in the CFR tracker; reported date set to the last one, {last}"
        yield SignalDraft(
            title=_title(str(row["title"])),
            kind=SignalKind.cyber_operation,
            observed_on=None,
            reported_on=entered or last,
            owner_organisation=PUBLIC_OWNER,
            tlp=Tlp.clear,
            distribution=Distribution.public,
            description=str(row.get("description") or ""),
            actor_countries=_countries(_split(row.get("sponsor"), ","), resolve),
            target_countries=_countries(_split(row.get("victims"), ","), resolve),
            threats=(2,),
            goals=(6,),
            sectors=tuple(_split(row.get("category"), ",")),
            references=tuple(
                Reference(str(row[key])) for key in ("sources_1", "sources_2", "sources_3") if row.get(key)
            ),
            source="cfr_cyber",
            external_id=_cfr_id(number, row),
            extra={key: value for key, value in extra.items() if value},
        )


def _cfr_id(number: int, row: dict[Any, Any]) -> str:
    """Row number in the pinned file plus a digest of the row: the tracker has no ids, and four rows
    share one title and date (three of them otherwise empty)."""
    digest = hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:8]
    return f"cfr:{number:04d}:{digest}"


def euvsdisinfo_drafts(
    frame: pd.DataFrame, resolve: CountryResolver = iso3_from_name
) -> Iterator[SignalDraft]:
    """One disinformation draft per EUvsDisinfo case."""
    for row in frame.to_dict("records"):
        keywords = _split(row.get("keywords"), "+")
        reported = _day(row["date"])
        assert reported is not None  # the schema declares the date not nullable
        yield SignalDraft(
            title=_title(str(row["title"])),
            kind=SignalKind.disinformation,
            observed_on=None,
            reported_on=reported,
            owner_organisation=PUBLIC_OWNER,
            tlp=Tlp.clear,
            distribution=Distribution.public,
            actor_countries=("RUS",),
            target_countries=_countries(_split(row.get("countries"), "+"), resolve),
            threats=(3,),
            goals=(8,),
            references=(Reference(str(row["id"])),),
            tags=tuple(dict.fromkeys(word for word in keywords if len(word) <= TAG_MAX)),
            source="euvsdisinfo",
            external_id=str(row["id"]),
            extra={key: str(row[key]) for key in ("languages", "outlets") if isinstance(row.get(key), str)},
        )
