"""The strategy driver each V-Dem v14 variable of the wide panel measures, for the forecasts' explanations.

The forecasting models use every variable of :data:`gbvs.sources.vdem_wide.KEPT` (as ``vdem14_<name>``,
with its 1- and 3-year changes), and an explanation sums the features' contributions by driver family
(:func:`gbvs.forecasting.service.driver_families`). Each variable is filed here under the driver of §2.2
it measures, so an explanation names polarisation or the position of women where V-Dem's polarisation or
women's empowerment moves a forecast, not one generic V-Dem family. The variables that are driver
indicators of the monitor (``v2cacamps``, ``v2x_gender``) take their driver from the driver mapping
(``indicators.yaml``) and are not listed here: each fact in one place.

Where no driver of the strategy fits, the family is ``other`` and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from gbvs.drivers.mapping import DriverId, indicators_from
from gbvs.sources.vdem_wide import KEPT
from gbvs.store.tables import TableName

Family = DriverId | Literal["other"]

_GOVERNANCE: Final = "illegitimate_governance"
"""§2.2: illegitimate governance and its consequences: repression and human rights violations, a poorly
functioning rule of law, a lack of civic space (regime, elections, media, civil society, judiciary,
repression, corruption)."""
_POLARISATION: Final = "polarisation"
"""§2.2: polarisation and sharpening divisions: political violence, mass mobilisation and electoral
violence by non-state actors (divisions acted out)."""

VDEM_V14_DRIVERS: dict[str, Family] = {
    # regime indices
    "v2x_polyarchy": _GOVERNANCE, "v2x_libdem": _GOVERNANCE, "v2x_partipdem": _GOVERNANCE,
    "v2x_delibdem": _GOVERNANCE, "v2x_egaldem": _GOVERNANCE, "v2x_regime": _GOVERNANCE,
    "v2x_accountability": _GOVERNANCE, "v2x_veracc": _GOVERNANCE, "v2x_diagacc": _GOVERNANCE,
    "v2x_horacc": _GOVERNANCE, "v2x_ex_military": _GOVERNANCE, "v2x_neopat": _GOVERNANCE,
    # elections: how legitimately power is won
    "v2xel_frefair": _GOVERNANCE, "v2elfrfair": _GOVERNANCE, "v2elintim": _GOVERNANCE,
    "v2elirreg": _GOVERNANCE, "v2elvotbuy": _GOVERNANCE, "v2elembaut": _GOVERNANCE,
    "v2elmulpar": _GOVERNANCE, "v2x_elecoff": _GOVERNANCE,
    "v2xel_elecparl": _GOVERNANCE, "v2xel_elecpres": _GOVERNANCE,  # election years
    # media, expression and academic freedom: civic space
    "v2x_freexp": _GOVERNANCE, "v2xme_altinf": _GOVERNANCE, "v2mecenefm": _GOVERNANCE,
    "v2meharjrn": _GOVERNANCE, "v2meslfcen": _GOVERNANCE, "v2mebias": _GOVERNANCE, "v2mecrit": _GOVERNANCE,
    "v2merange": _GOVERNANCE, "v2xca_academ": _GOVERNANCE,
    # civil society and parties: civic space
    "v2x_frassoc_thick": _GOVERNANCE, "v2csreprss": _GOVERNANCE, "v2cseeorgs": _GOVERNANCE,
    "v2csprtcpt": _GOVERNANCE, "v2cscnsult": _GOVERNANCE, "v2x_cspart": _GOVERNANCE,
    "v2psparban": _GOVERNANCE, "v2psoppaut": _GOVERNANCE, "v2psbars": _GOVERNANCE,
    # judiciary and legislature: the rule of law and checks on power
    "v2x_jucon": _GOVERNANCE, "v2juhcind": _GOVERNANCE, "v2juncind": _GOVERNANCE, "v2jucomp": _GOVERNANCE,
    "v2juhccomp": _GOVERNANCE, "v2exrescon": _GOVERNANCE, "v2xlg_legcon": _GOVERNANCE,
    "v2lgotovst": _GOVERNANCE, "v2lginvstp": _GOVERNANCE, "v2lgoppart": _GOVERNANCE,
    # repression and rights: human rights violations
    "v2x_civlib": _GOVERNANCE, "v2x_clphy": _GOVERNANCE, "v2x_clpol": _GOVERNANCE,
    "v2x_clpriv": _GOVERNANCE, "v2clkill": _GOVERNANCE, "v2cltort": _GOVERNANCE,
    # corruption
    "v2x_corr": _GOVERNANCE, "v2x_execorr": _GOVERNANCE, "v2exbribe": _GOVERNANCE,
    "v2exembez": _GOVERNANCE, "v2jucorrdc": _GOVERNANCE,
    "v2exl_legitperf": _GOVERNANCE,  # the regime's claim to legitimacy by its performance
    # gender (v2x_gender is a driver indicator: its driver comes from the driver mapping)
    "v2x_gencl": "position_of_women", "v2x_genpp": "position_of_women",
    # political violence, mass mobilisation (general, for democracy, for autocrats, where it happens) and
    # electoral violence by non-state actors (v2cacamps is a driver indicator: see the driver mapping)
    "v2caviol": _POLARISATION, "v2cagenmob": _POLARISATION, "v2caconmob": _POLARISATION,
    "v2cademmob": _POLARISATION, "v2caautmob": _POLARISATION, "v2elpeace": _POLARISATION,
    # how equally political and social groups enjoy civil liberties: exclusion
    "v2clpolcl": "exclusion_minorities", "v2clsocgrp": "exclusion_minorities",
    # background: income and child mortality (as the driver mapping files Gapminder's)
    "e_gdppc": "poverty_inequality", "e_pechmor": "poverty_inequality",
    # income from oil, coal, gas and metals measures wealth in raw materials, not their scarcity: no driver
    "e_total_resources_income_pc": "other",
}  # fmt: skip
"""V-Dem variable -> the driver family it is filed under (``other``: no driver of the strategy)."""


class UnfiledVariableError(ValueError):
    """A kept V-Dem v14 variable has no driver, or two, or a filed variable is not kept."""


def vdem_v14_drivers(filed: Mapping[str, Family] = VDEM_V14_DRIVERS) -> dict[str, str]:
    """V-Dem variable -> driver family for every variable of :data:`gbvs.sources.vdem_wide.KEPT`, in its
    order: a driver indicator's driver from the driver mapping, any other's from ``filed``
    (:data:`VDEM_V14_DRIVERS`).

    Raises :class:`UnfiledVariableError` naming the variables and the fix when a kept variable is filed
    nowhere or twice, or a filed one is not kept.
    """
    indicators = {item.source_column: str(item.driver) for item in indicators_from(TableName.vdem_v14)}
    twice = sorted(indicators.keys() & filed.keys())
    missing = [name for name in KEPT if name not in indicators and name not in filed]
    stray = sorted((filed.keys() | indicators.keys()) - set(KEPT))
    problems = [
        f"kept but filed under no driver: {missing}; add them to VDEM_V14_DRIVERS" if missing else "",
        f"filed twice, in the driver mapping and in VDEM_V14_DRIVERS: {twice}; keep the mapping's"
        if twice
        else "",
        f"filed but not kept (gbvs.sources.vdem_wide.KEPT): {stray}; remove them" if stray else "",
    ]
    if any(problems):
        raise UnfiledVariableError("V-Dem v14 variables " + "; ".join(p for p in problems if p))
    return {name: indicators.get(name) or filed[name] for name in KEPT}
