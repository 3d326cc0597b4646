"""An expired API token gets 401 problem+json that says it expired and how to get a new one (both backends).

Before: tokens never expired. The answer to an unknown or revoked token is unchanged, so a guesser
learns nothing about which tokens exist or existed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from gbvs.db.models import ApiToken
from gbvs.db.services.principals import TOKEN_REFUSED
from gbvs.db.session import session_scope
from gbvs.db.types import utcnow
from gbvs.security.hashing import hash_api_token
from gbvs.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
HTTPS = "https://testserver"
READ = "/api/v1/sources"


def _age(site: Any, secret: str, days: float) -> None:
    made = utcnow() - timedelta(days=days)
    with session_scope(site.factory()) as session:
        session.execute(
            update(ApiToken).where(ApiToken.token_hash == hash_api_token(secret)).values(created_at=made)
        )


def _get(client: TestClient, secret: str) -> Any:
    return client.get(READ, headers={"Authorization": f"Bearer {secret}"})


def test_an_expired_token_is_answered_401_saying_so(remote_site: Any) -> None:
    secret = remote_site.token("bob")
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        _age(remote_site, secret, 89)
        assert _get(client, secret).status_code == 200
        _age(remote_site, secret, 91)
        refused = _get(client, secret)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    detail = refused.json()["detail"]
    assert "expired on" in detail and "tokens last 90 days" in detail
    assert "gbvs users tokens rotate" in detail and secret not in detail


def test_an_unknown_token_is_not_told_it_expired(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        refused = _get(client, "gbvs_" + "A" * 43)
    assert refused.status_code == 401 and refused.json()["detail"] == TOKEN_REFUSED


def test_the_lifetime_is_a_setting(remote_site: Any) -> None:
    secret = remote_site.token("bob")
    _age(remote_site, secret, 10)
    shorter = remote_site.settings.model_copy(update={"token_lifetime_days": 7})
    with TestClient(create_app(shorter), base_url=HTTPS) as client:
        refused = _get(client, secret)
    assert refused.status_code == 401 and "tokens last 7 days" in refused.json()["detail"]
