"""Migration scripts, one per revision: ``<rev>_<message>.py``."""
