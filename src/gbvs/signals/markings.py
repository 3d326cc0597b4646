"""Markings on a signal: TLP 2.0, distribution and state classification, and how they may change.

Pure data and rules, no I/O. TLP 2.0 follows FIRST (https://www.first.org/tlp/); the STIX ids of
its marking definitions are the ones OASIS published with the TLP 2.0 extension
(``extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d``, created 2022-10-01).
"""

from __future__ import annotations

from enum import StrEnum

from gbvs.errors import InputError, said


class Tlp(StrEnum):
    """TLP 2.0 levels, from least to most restricted (the order matters: see :func:`is_raise`)."""

    clear = "clear"
    green = "green"
    amber = "amber"
    amber_strict = "amber+strict"
    red = "red"

    @property
    def rank(self) -> int:
        """Position from least (0, CLEAR) to most restricted (4, RED)."""
        return list(Tlp).index(self)

    @property
    def label(self) -> str:
        """How people write it: ``TLP:AMBER+STRICT``."""
        return f"TLP:{self.value.upper()}"


STIX_TLP_MARKINGS: dict[Tlp, str] = {
    Tlp.clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.amber_strict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
"""The STIX 2.1 marking-definition id of each TLP 2.0 level."""

STIX_TLP1_MARKINGS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.clear,  # TLP:WHITE (TLP 1.0)
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.green,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.amber,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.red,
}
"""The STIX 2.1 spec's TLP 1.0 marking definitions, read on import as their TLP 2.0 level."""


class Distribution(StrEnum):
    """Who a signal is shared with (MISP's distribution levels, in GBVS terms)."""

    organisation = "organisation"
    sharing_group = "sharing_group"
    all_organisations = "all_organisations"
    public = "public"


class Classification(StrEnum):
    """Dutch state classification (Besluit VIR-BI 2013), lowest first."""

    ongerubriceerd = "ongerubriceerd"
    departementaal_vertrouwelijk = "departementaal_vertrouwelijk"
    stg_confidentieel = "stg_confidentieel"
    stg_geheim = "stg_geheim"
    stg_zeer_geheim = "stg_zeer_geheim"


HIGHEST_ALLOWED = Classification.departementaal_vertrouwelijk
"""GBVS is not accredited for state secrets: it holds information up to Departementaal Vertrouwelijk."""

ACCEPTED_CLASSIFICATIONS: tuple[Classification, ...] = tuple(Classification)[
    : list(Classification).index(HIGHEST_ALLOWED) + 1
]
"""The classifications GBVS accepts, the only ones a choice list names (the state secrets above
:data:`HIGHEST_ALLOWED` are read, to be refused with the reason: :func:`check_classification`)."""


def parse_tlp(text: str) -> Tlp:
    """``"TLP:AMBER+STRICT"``, ``"amber+strict"`` or ``"AMBER_STRICT"`` as :class:`Tlp`; else an error."""
    value = text.strip().lower().removeprefix("tlp:").replace("_", "+")
    if value == "white":
        return Tlp.clear
    try:
        return Tlp(value)
    except ValueError:
        choices = ", ".join(level.label for level in Tlp)
        raise InputError(
            said("unknown TLP marking '%(text)s'; use one of %(choices)s", text=text, choices=choices)
        ) from None


def parse_classification(text: str) -> Classification:
    """A classification name (``"Stg. Confidentieel"``, ``"dep. vertrouwelijk"``) as a level; an unknown
    name is refused with the levels GBVS accepts (a state secret is read, and refused by
    :func:`check_classification` with its reason)."""
    key = text.strip().lower().replace(".", "").replace("-", " ").replace("_", " ")
    key = " ".join(key.split()).replace("staatsgeheim", "stg").replace("dep ", "departementaal ")
    for level in Classification:
        if key == level.value.replace("_", " "):
            return level
    choices = ", ".join(level.value for level in ACCEPTED_CLASSIFICATIONS)
    raise InputError(
        said("unknown classification '%(text)s'; use one of %(choices)s", text=text, choices=choices)
    )


def check_classification(level: Classification) -> None:
    """Refuse state secrets: they belong in an accredited system, not in GBVS."""
    if level not in ACCEPTED_CLASSIFICATIONS:
        raise InputError(
            said(
                "classification '%(level)s' is above what GBVS may hold (%(highest)s): GBVS is not "
                "accredited for state secrets; keep information marked Stg. Confidentieel or higher in a "
                "system accredited for them and do not enter it here",
                level=level.value,
                highest=HIGHEST_ALLOWED.value,
            )
        )


def check_consistent(tlp: Tlp, distribution: Distribution, red_recipients: int) -> None:
    """A marking and a distribution must agree: public means TLP:CLEAR; TLP:RED names recipients."""
    if distribution is Distribution.public and tlp is not Tlp.clear:
        raise InputError(
            said(
                "distribution 'public' needs TLP:CLEAR, not %(tlp)s; lower the marking or share with "
                "organisations instead",
                tlp=tlp.label,
            )
        )
    if tlp is Tlp.clear and distribution is not Distribution.public:
        raise InputError(
            said(
                "TLP:CLEAR means no limit on disclosure; use distribution 'public', or a TLP:GREEN or "
                "higher marking to keep it within GBVS"
            )
        )
    if tlp is Tlp.red and red_recipients == 0:
        raise InputError(said("TLP:RED is for named individual recipients: name at least one recipient"))
    if tlp is not Tlp.red and red_recipients:
        raise InputError(said("recipients are named only for TLP:RED, not for %(tlp)s", tlp=tlp.label))
    if tlp in (Tlp.amber_strict,) and distribution is not Distribution.organisation:
        raise InputError(
            said(
                "TLP:AMBER+STRICT restricts sharing to the owner's organisation; use distribution "
                "'organisation' or TLP:AMBER to share with other organisations"
            )
        )


def check_group(distribution: Distribution, has_group: bool) -> None:
    """A sharing group is named exactly when the distribution is ``sharing_group``."""
    if (distribution is Distribution.sharing_group) != has_group:
        raise InputError(said("name a sharing group exactly when the distribution is 'sharing_group'"))


def is_raise(old: Tlp, new: Tlp) -> bool:
    """Whether going from ``old`` to ``new`` restricts the signal further."""
    return new.rank > old.rank


def check_change(*, old: Tlp, new: Tlp, by_owner: bool, reason: str | None) -> None:
    """Only the owner's organisation changes a marking; lowering it needs a reason (which is audited)."""
    if not by_owner:
        raise InputError(
            said("only the organisation that owns a signal may change its marking; ask the owner")
        )
    if new.rank < old.rank and not (reason and reason.strip()):
        raise InputError(
            said(
                "lowering %(old)s to %(new)s needs a reason (it is kept in the audit log)",
                old=old.label,
                new=new.label,
            )
        )
