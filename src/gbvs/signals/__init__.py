"""The signals register (goals 6, 8 and 10): multi-agency signals under need-to-know.

The core here is pure (no database, no files besides packaged vocabularies):

- :mod:`gbvs.signals.markings`: TLP 2.0, distribution, state classification and the rules for
  changing a marking.
- :mod:`gbvs.signals.vocabularies`: Admiralty code and estimative language, read from the MISP
  taxonomies shipped in ``pytaxonomies`` (one source for the vocabularies, not our own lists).
- :mod:`gbvs.signals.model`: what a signal is (kinds, a validated draft).
- :mod:`gbvs.signals.access`: who may read a signal (the need-to-know rule as a pure function;
  the database layer writes the same rule as a SQL filter and is tested against this one).
- :mod:`gbvs.signals.public_data`: the public datasets (CFR cyber operations, EUvsDisinfo) as
  signal drafts.
"""
