"""A small threat assessment in a data folder's database, for the page and browser tests.

Scenarios 1 and 3 have a closed round scored by three analysts (1 with dissent); scenario 2 has an
open round (blind); the other drafts are unscored. Returns an API token of the analyst 'bob'.
"""

from __future__ import annotations

from pathlib import Path

from gbvs.assessments import load_method
from gbvs.config import Settings
from gbvs.db.migrate import upgrade
from gbvs.db.schemas import UserCreate
from gbvs.db.services import assessments, tokens, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.security import Role


def database_url(data_dir: Path) -> str:
    """The database of the small assessment: its own file, so tests of the default database are unaffected."""
    return f"sqlite:///{data_dir / 'assessment-test.sqlite3'}"


SCORES = {"ann": ("B", "A"), "bob": ("D", "C"), "cas": ("C", "E")}  # likelihood, class of criterion 2.1


def build_assessment(settings: Settings, bootstrap: bool = True) -> str:
    """Migrate the settings' database, add users and scenarios; bob's API token.

    ``bootstrap=False`` when another builder already made the admin ``root`` in the same database.
    """
    engine = make_engine(settings)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        if bootstrap:
            users.bootstrap_admin(session, "root", "Root", None, None)
        root = load_principal(session, "root")
        users.create_user(
            session, root, UserCreate(username="coco", display_name="Coco", role=Role.coordinator)
        )
        for name in SCORES:
            users.create_user(
                session, root, UserCreate(username=name, display_name=name.title(), role=Role.analyst)
            )
    criteria = load_method("nrb_2009").criterion_ids()
    with session_scope(factory) as session:
        coco = load_principal(session, "coco")
        assessments.seed_drafts(session, coco)
        assessments.open_round(session, coco, 1)
        assessments.open_round(session, coco, 2)
        assessments.open_round(session, coco, 3)
        for name, (likelihood, fatalities) in SCORES.items():
            analyst = load_principal(session, name)
            scores = {c: (fatalities if c == "2.1" else "A", f"{name}: onderbouwing {c}") for c in criteria}
            assessments.submit_scores(session, analyst, 1, (likelihood, f"{name}: kans"), scores)
            other = {c: ("D" if c.startswith("5.") else "B", f"{name}: onderbouwing {c}") for c in criteria}
            assessments.submit_scores(session, analyst, 3, ("B", f"{name}: kans"), other)
        assessments.close_round(session, coco, 1)
        assessments.close_round(session, coco, 3)
        assessments.record_dissent(
            session, load_principal(session, "cas"), 1, "Doden te laag ingeschat.", "2.1"
        )
    with session_scope(factory) as session:
        secret, _ = tokens.create_token(session, load_principal(session, "bob"), "browser tests")
    engine.dispose()
    return secret
