"""Settings refuse unsafe or impossible values with a message that says what to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from gbvs.config import Settings, load_settings
from gbvs.errors import ConfigError


def test_defaults_are_local_and_safe(settings: Settings) -> None:
    assert settings.language == "nl"
    assert settings.web_host == "127.0.0.1"
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_store_path.parent == settings.data_dir


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({"mirror": "/does/not/exist"}, "GBVS_MIRROR", id="missing-mirror"),
        pytest.param({"database_url": "mysql://x@y/z"}, "GBVS_DATABASE_URL", id="unsupported-db"),
        pytest.param({"language": "fr"}, "GBVS_LANGUAGE", id="unknown-language"),
        pytest.param({"web_host": "0.0.0.0"}, "GBVS_ALLOW_REMOTE", id="remote-without-consent"),
        pytest.param({"web_port": 0}, "GBVS_WEB_PORT", id="port-out-of-range"),
        pytest.param({"mirror": ""}, "GBVS_MIRROR: is set but empty", id="empty-mirror"),
        pytest.param({"data_dir": " "}, "GBVS_DATA_DIR: is set but empty", id="empty-data-dir"),
        pytest.param({"store_path": ""}, "GBVS_STORE_PATH: is set but empty", id="empty-store-path"),
    ],
)
def test_unsafe_or_impossible_values_are_refused(
    settings: Settings, overrides: dict[str, object], expected: str
) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_settings(**overrides)


def test_an_empty_path_variable_is_not_the_current_folder(settings: Settings, run_cli, monkeypatch) -> None:
    """`GBVS_MIRROR=$UNSET_VAR` read the current folder as the mirror (and GBVS_DATA_DIR= put the
    database there): refused, naming the variable and both ways out."""
    monkeypatch.setenv("GBVS_MIRROR", "")
    result = run_cli("ingest")
    assert result.exit_code == 3
    assert "GBVS_MIRROR: is set but empty" in result.stderr and "unset it" in result.stderr


@pytest.mark.parametrize(
    ("misspelt", "meant"),
    [
        ("GBVS_ALLOWED_HOST", "GBVS_ALLOWED_HOSTS"),
        ("GBVS_MIROR", "GBVS_MIRROR"),
        ("gbvs_trusted_proxy", "GBVS_TRUSTED_PROXIES"),
    ],
)
def test_a_misspelt_setting_is_refused_not_ignored(
    settings: Settings, run_cli, monkeypatch: pytest.MonkeyPatch, misspelt: str, meant: str
) -> None:
    """GBVS_ALLOWED_HOST=gbvs.example.nl was ignored without a word: the server answered any host name."""
    monkeypatch.setenv(misspelt, "gbvs.example.nl")
    result = run_cli("config")
    assert result.exit_code == 3
    assert f"{misspelt} is not a GBVS setting" in result.stderr and f"did you mean {meant}?" in result.stderr


def test_a_misspelt_setting_in_the_env_file_is_refused(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GBVS_ALLOW_REMOTES=true\n")
    (tmp_path / ".env").chmod(0o600)
    with pytest.raises(ConfigError, match=r"GBVS_ALLOW_REMOTES \(in \.env\) is not a GBVS setting"):
        load_settings()


def test_other_gbvs_variables_are_left_alone(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GBVS_TOKEN", "GBVS_USER", "GBVS_TEST_WORKERS", "GBVS_INGEST_PAUSE_SECONDS", "GBVS_DEBUG"):
        monkeypatch.setenv(name, "1")
    load_settings()


def test_unwritable_data_dir_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="GBVS_DATA_DIR"):
        load_settings(data_dir=blocker / "sub").ensure_data_dir()


def test_environment_variable_sets_mirror(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GBVS_MIRROR", str(tmp_path))
    assert load_settings().mirror == tmp_path.resolve()


def test_config_command_hides_database_password(settings: Settings, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("GBVS_DATABASE_URL", "postgresql+psycopg://analyst:s3cret@db.local/gbvs")
    result = run_cli("config", "--format", "json")
    assert result.exit_code == 0
    assert "s3cret" not in result.stdout
    assert "analyst:***@db.local" in result.stdout


def test_bad_configuration_exits_with_code_3(settings: Settings, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("GBVS_MIRROR", "/does/not/exist")
    result = run_cli("config")
    assert result.exit_code == 3
    assert "GBVS_MIRROR" in result.stderr


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`GBVS_{name.upper()}`" not in readme]
    assert not missing, f"settings missing from the README's configuration table: {missing}"


def test_a_settings_file_others_can_write_is_not_read(settings: Settings, tmp_path: Path) -> None:
    """``.env`` in the current folder (the fixture's tmp_path) could switch on remote mode."""
    env_file = tmp_path / ".env"
    env_file.write_text("GBVS_ALLOW_REMOTE=true\n")
    env_file.chmod(0o600)
    assert load_settings().allow_remote, "the user's own file is read"
    env_file.chmod(0o620)  # group-writable (a umask of 002)
    with pytest.raises(ConfigError, match=r"can be changed by other OS users .*chmod go-w \.env"):
        load_settings()
