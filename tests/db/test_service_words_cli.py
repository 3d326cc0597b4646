"""The operational services' refusals on the command line: Dutch by default (``fout: ...``), the same
English text with ``--lang en``; each names the thing, the value and the fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from gbvs.config import Settings

Run = Callable[..., Any]


@pytest.fixture
def ready(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    made = run_cli("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst")
    assert made.exit_code == 0, made.stderr
    return run_cli


def test_account_refusals_read_in_dutch(ready: Run) -> None:
    again = ready("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst")
    assert again.exit_code == 4
    assert again.stderr == "fout: Gebruikersnaam ‘ann’ is al in gebruik. Kies een andere gebruikersnaam.\n"
    english = ready("users", "create", "ann", "--name", "Ann", "--role", "analyst", "--lang", "en")
    assert english.stderr == "error: username 'ann' is already taken; choose another username\n"
    taken = ready("orgs", "create", "BZ", "--name-nl", "Buitenlandse Zaken", "--name-en", "Foreign Affairs")
    assert taken.exit_code == 4
    assert taken.stderr == "fout: Organisatiecode ‘BZ’ is al in gebruik. Kies een andere code.\n"
    unknown = ready("users", "create", "bob", "--name", "Bob", "--org", "NOPE", "--role", "analyst")
    assert unknown.exit_code == 5 and unknown.stderr.startswith(
        "fout: Organisatie ‘NOPE’ bestaat niet (bekend: AIVD, AZ, BZ,"
    )
    assert "Maak haar aan met `gbvs orgs create NOPE ...`" in unknown.stderr
    last = ready("users", "set-role", "root", "analyst")
    assert last.exit_code == 4 and last.stderr == (
        "fout: ‘root’ is de laatste actieve beheerder. Maak eerst een andere gebruiker beheerder "
        "(`gbvs users set-role OTHER admin`).\n"
    )
    assert ready("sharing-groups", "create", "Noord", "--org", "BZ").exit_code == 0
    twice = ready("sharing-groups", "create", "Noord", "--org", "BZ")
    assert (
        twice.exit_code == 4 and twice.stderr == "fout: Deelgroep ‘Noord’ bestaat al. Kies een andere naam.\n"
    )
    unnamed = ready("users", "tokens", "create", " ", "--user", "ann")
    assert unnamed.exit_code == 4 and unnamed.stderr.startswith("fout: De naam van het token is leeg.")


def test_case_refusals_read_in_dutch(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    token = ready("users", "tokens", "create", "cli", "--user", "ann", "--format", "json")
    monkeypatch.setenv("GBVS_TOKEN", json.loads(token.stdout)["token"])
    signal = ready(
        "signals", "create", "Spearphishing", "--kind", "cyber_operation", "--reported", "2024-05-02"
    )
    assert signal.exit_code == 0, signal.stderr
    untitled = ready("cases", "create", " ", "--signal", "1")
    assert untitled.exit_code == 4
    assert untitled.stderr == "fout: Een zaak heeft een titel van 1-300 tekens nodig.\n"
    assert ready("cases", "create", " ", "--signal", "1", "--lang", "en").stderr == (
        "error: a case needs a title of 1-300 characters\n"
    )


def test_a_refusal_names_who_asked_by_their_role_in_the_readers_words(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal naming who asked said "'cora' (coordinator, BZ)" inside Dutch text; now the role by its
    Dutch name, the code one types kept in English."""
    for name, organisation, role in (("cora", ["--org", "BZ"], "coordinator"), ("bob", [], "analyst")):
        made = ready("users", "create", name, "--name", name.title(), *organisation, "--role", role)
        assert made.exit_code == 0, made.stderr
    unnamed = ready("users", "tokens", "create", "cli")
    assert unnamed.exit_code == 4 and unnamed.stderr.startswith(
        "fout: 'os:root' (eigenaar van de datamap in het besturingssysteem) is geen opgeslagen GBVS-gebruiker"
    ), unnamed.stderr
    tokens = {}
    for name in ("cora", "bob"):
        made = ready("users", "tokens", "create", "cli", "--user", name, "--format", "json")
        tokens[name] = json.loads(made.stdout)["token"]
    monkeypatch.setenv("GBVS_TOKEN", tokens["cora"])
    above = ready("users", "create", "eve", "--name", "Eve", "--org", "BZ", "--role", "admin")
    assert above.exit_code == 8 and above.stderr.startswith(
        "fout: Gebruiker 'cora' (coördinator, BZ) mag de rol ‘admin’ niet toekennen"
    ), above.stderr
    english = ready(
        "users", "create", "eve", "--name", "Eve", "--org", "BZ", "--role", "admin", "--lang", "en"
    )
    assert english.stderr.startswith("error: user 'cora' (coordinator, BZ) may not give role 'admin'")
    monkeypatch.setenv("GBVS_TOKEN", tokens["bob"])
    signal = ("signals", "create", "Spearphishing", "--kind", "cyber_operation", "--reported", "2024-05-02")
    homeless = ready(*signal)
    assert homeless.exit_code == 4 and homeless.stderr.startswith(
        "fout: Gebruiker 'bob' (analist) hoort bij geen organisatie"
    ), homeless.stderr
    english = ready(*signal, "--lang", "en")
    assert english.stderr.startswith("error: user 'bob' (analyst) belongs to no organisation")
