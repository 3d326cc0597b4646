"""Public opinion and consultation: weighted polls with honest uncertainty, coded consultations.

Pure maths (no I/O, in the ``core-without-io`` contract): :mod:`.weighting` (raking with trimming,
the weights' report), :mod:`.estimates` (weighted shares with Taylor intervals from samplics,
differences), :mod:`.reliability` (Krippendorff's alpha per theme), :mod:`.codebook`,
:mod:`.questionnaire`, :mod:`.aggregate` (published tables) and :mod:`.anonymise`.
Reading files: :mod:`.reader` (respondent files: CSV, SPSS, Stata), :mod:`.margins` (population
margins) and :mod:`.polls` (analysis of a read poll). Consultation records live in the operational
database (:mod:`gbvs.db.opinion_models`, :mod:`gbvs.db.services.consultations`).
"""
