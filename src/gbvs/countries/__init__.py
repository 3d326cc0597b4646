"""Country identity: ISO3 <-> Gleditsch-Ward codes by year, names in Dutch and English, crosswalks.

The one place GBVS knows which code means which country. Pure: it reads only packaged data
(country_converter's table, ``gleditsch_ward.yaml`` beside this file, Babel's CLDR names).
Strategy, sources, panels, forecasting, web and CLI all ask this package.

- :func:`gwcode` / :func:`iso3_of`: ISO3 <-> Gleditsch-Ward code, optionally in a given year
  (Yemen 678, Germany 255/260, Serbia 345/340, Czechia 315/316, Vietnam 816, Sudan/South Sudan).
- :func:`gwcode_of`: a code a user typed (``SYR``, ``syr`` or ``652``) as a Gleditsch-Ward code;
  :func:`gwcode_typed` / :func:`iso3_typed` also take a name in Dutch or English (``Syrië``, ``syria``).
- :func:`name`: the CLDR name in 'nl' or 'en'.
- :func:`gw_state_problem`: why a Gleditsch-Ward code in a source file names no state (in that year);
  ingest refuses such files.
- :func:`todays_borders` / :func:`has_todays_borders`: the state-years that held a present-day
  country's territory (for sources that use today's borders back in time).
- :mod:`gbvs.countries.crosswalks`: Polity, Correlates of War, Gapminder and Natural Earth codes, and
  UNHCR's origin codes that name no state (:func:`unhcr_not_a_state`).
"""

from gbvs.countries.borders import has_todays_borders, todays_borders
from gbvs.countries.crosswalks import unhcr_not_a_state
from gbvs.countries.identity import (
    Country,
    Spell,
    all_countries,
    continent_members,
    country,
    gwcode,
    gwcode_of,
    gwcode_to_iso3,
    iso3_of,
    iso3_to_gwcode,
)
from gbvs.countries.lookup import gwcode_typed, iso3_named, iso3_typed
from gbvs.countries.names import in_sentence, name, name_of_gwcode, names, outline_name, said_name
from gbvs.countries.states import gw_state_problem

__all__ = [
    "Country",
    "Spell",
    "all_countries",
    "continent_members",
    "country",
    "gw_state_problem",
    "gwcode",
    "gwcode_of",
    "gwcode_to_iso3",
    "gwcode_typed",
    "has_todays_borders",
    "in_sentence",
    "iso3_named",
    "iso3_of",
    "iso3_to_gwcode",
    "iso3_typed",
    "name",
    "name_of_gwcode",
    "names",
    "outline_name",
    "said_name",
    "todays_borders",
    "unhcr_not_a_state",
]
