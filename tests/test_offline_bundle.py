"""The offline installation path (scripts/offline_bundle.py, scripts/setup with GBVS_WHEELHOUSE).

The bundles here are small: wheels this test writes (a ``gbvs`` and one dependency), completed by the
script's own ``assemble`` (manifest, constraints, installer, SHA256SUMS), so every check, refusal and the
offline pip run are the real ones. The full bundle (all 127 wheels) is built and installed by
``scripts/check-offline-install``, which takes a few minutes."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "offline_bundle.py"
UNREACHABLE = "http://127.0.0.1:9"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("offline_bundle", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ob = _load_script()


def _write_wheel(
    folder: Path, name: str, version: str, tag: str = "py3-none-any", requires: tuple[str, ...] = ()
) -> Path:
    """A real, installable wheel: one module, METADATA, WHEEL and a RECORD with its hashes."""
    dist = f"{name.replace('-', '_')}-{version}"
    module = name.replace("-", "_")
    files = {
        f"{module}/__init__.py": f"VERSION = {version!r}\n",
        f"{dist}.dist-info/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\nLicense-Expression: EUPL-1.2\n"
        + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        f"Tag: {tag}\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}.dist-info/RECORD,,")
    files[f"{dist}.dist-info/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{dist}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def _make_bundle(where: Path, dep_tag: str = "py3-none-any", platforms: tuple[str, ...] = ()) -> Path:
    bundle = where / "gbvs-offline-0.1.0-test"
    wheels = bundle / ob.WHEELS
    wheels.mkdir(parents=True)
    _write_wheel(wheels, "gbvs", "0.1.0", requires=("probe-dep==1.0",))
    _write_wheel(wheels, "probe-dep", "1.0", tag=dep_tag)
    target = {"python_version": "3.11", "abi": "cp311", "platforms": list(platforms), "label": "test"}
    ob.assemble(bundle, bundle.name, "0.1.0", target, [])
    return bundle


def _offline_env(**extra: str) -> dict[str, str]:
    """No network: pip without an index, and every proxy a closed port, so any request fails."""
    env = _without_own_source()
    env = {k: v for k, v in env.items() if not k.upper().startswith(("PIP_", "GBVS_"))}
    proxies = {
        k: UNREACHABLE for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy")
    }
    return {**env, **proxies, "PIP_NO_INDEX": "1", **extra}


def _install(bundle: Path, venv: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "install", str(bundle), "--venv", str(venv)]
    return subprocess.run(command, capture_output=True, text=True, env=_offline_env(**env), timeout=600)


def _without_own_source() -> dict[str, str]:
    """This environment without PYTHONPATH: a run that points it at a checkout's ``src`` would have the
    new venv import gbvs from there (without its dependencies), not the installed one."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _imports(venv: Path, module: str) -> str:
    code = f"import {module}; print({module}.VERSION)"
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, env=_without_own_source()
    ).stdout.strip()


@pytest.mark.slow
def test_an_intact_bundle_installs_without_network(tmp_path: Path) -> None:
    bundle = _make_bundle(tmp_path)
    venv = tmp_path / "venv"
    result = _install(bundle, venv)
    assert result.returncode == 0, result.stderr
    assert f"from bundle {bundle.name}" in result.stdout
    assert _imports(venv, "gbvs") == "0.1.0" and _imports(venv, "probe_dep") == "1.0"
    record = json.loads((venv / ob.INSTALL_RECORD).read_text())
    assert record["bundle"] == bundle.name and record["sha256sums"] == ob.sha256_of(bundle / ob.SUMS)
    again = _install(bundle, venv)  # the same bundle a second time: checked, not installed again
    assert again.returncode == 0 and "already holds GBVS 0.1.0" in again.stdout


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda w: w.write_bytes(w.read_bytes()[:-40]), "the file is truncated or changed"),
        (lambda w: w.write_bytes(w.read_bytes()[:-1] + b"X"), "the file is truncated or changed"),
        (lambda w: w.unlink(), "listed in SHA256SUMS but missing from the bundle"),
        (
            lambda w: shutil.copy2(w, w.with_name("probe_dep-2.0-py3-none-any.whl")),
            "not listed in SHA256SUMS",
        ),
    ],
    ids=["truncated", "changed", "missing", "added"],
)
def test_a_damaged_bundle_is_refused_before_anything_is_installed(
    tmp_path: Path, damage: Callable[[Path], object], said: str
) -> None:
    bundle = _make_bundle(tmp_path)
    damage(bundle / ob.WHEELS / "probe_dep-1.0-py3-none-any.whl")
    venv = tmp_path / "venv"
    result = _install(bundle, venv)
    assert result.returncode == ob.EXIT_BAD_BUNDLE
    assert "wheels/probe_dep-" in result.stderr and said in result.stderr
    assert "nothing was installed" in result.stderr and "scripts/bundle" in result.stderr
    assert not venv.exists()


def test_a_bundle_without_its_sums_is_refused(tmp_path: Path) -> None:
    bundle = _make_bundle(tmp_path)
    (bundle / ob.SUMS).unlink()
    result = _install(bundle, tmp_path / "venv")
    assert result.returncode == ob.EXIT_BAD_BUNDLE and "SHA256SUMS: missing" in result.stderr
    assert not (tmp_path / "venv").exists()


@pytest.mark.slow
def test_a_bundle_for_another_platform_names_the_package_and_how_to_build_the_right_one(
    tmp_path: Path,
) -> None:
    foreign = "cp311-cp311-win_amd64" if sys.platform != "win32" else "cp311-cp311-manylinux_2_17_x86_64"
    bundle = _make_bundle(tmp_path, dep_tag=foreign, platforms=(foreign.rsplit("-", 1)[1],))
    venv = tmp_path / "venv"
    result = _install(bundle, venv)
    assert result.returncode == ob.EXIT_BAD_BUNDLE, result.stderr
    assert "probe-dep 1.0" in result.stderr and "gbvs 0.1.0" not in result.stderr
    assert f"built for Python 3.11 on {foreign.rsplit('-', 1)[1]}" in result.stderr
    assert (
        "bash scripts/bundle --python-version" in result.stderr and "Nothing was installed" in result.stderr
    )
    assert not venv.exists()  # the environment made for the install is removed again


@pytest.mark.slow
def test_a_missing_dependency_is_named_and_the_machines_pip_configuration_is_not_used(tmp_path: Path) -> None:
    """pip on the laptop may be configured with its own find-links: the install takes the bundle alone."""
    bundle = tmp_path / "gbvs-offline-0.1.0-test"
    (bundle / ob.WHEELS).mkdir(parents=True)
    _write_wheel(bundle / ob.WHEELS, "gbvs", "0.1.0", requires=("probe-extra",))
    ob.assemble(
        bundle, bundle.name, "0.1.0", {"python_version": "3.11", "platforms": [], "label": "test"}, []
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _write_wheel(elsewhere, "probe-extra", "1.0")
    config = tmp_path / "pip.conf"
    config.write_text(f"[global]\nfind-links = {elsewhere}\n")
    venv = tmp_path / "venv"
    result = _install(bundle, venv, PIP_CONFIG_FILE=str(config), PIP_FIND_LINKS=str(elsewhere))
    assert result.returncode == ob.EXIT_PIP
    assert "The bundle lacks probe-extra" in result.stderr and "same kind as this one" in result.stderr
    assert not venv.exists()


@pytest.mark.slow
def test_setup_installs_from_the_wheelhouse_named_relative_to_where_it_is_run(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    for name in ("setup", "offline_bundle.py"):
        shutil.copy2(ROOT / "scripts" / name, checkout / "scripts" / name)
    bundle = _make_bundle(tmp_path)
    changed = _offline_env(GBVS_WHEELHOUSE=os.path.relpath(bundle, tmp_path), PYTHON=sys.executable)
    result = subprocess.run(["bash", str(checkout / "scripts" / "setup")], cwd=tmp_path, capture_output=True,
                            text=True, env=changed)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _imports(checkout / ".venv", "gbvs") == "0.1.0"
    assert not (checkout / ".venv" / "bin" / "ruff").exists()  # a user's install: no dev tools


def test_the_manifest_states_each_licence_as_the_wheel_does(tmp_path: Path) -> None:
    bundle = _make_bundle(tmp_path)
    manifest = json.loads((bundle / ob.MANIFEST).read_text())
    assert [(p["name"], p["version"], p["licence"]) for p in manifest["packages"]] == [
        ("gbvs", "0.1.0", "EUPL-1.2"),
        ("probe-dep", "1.0", "EUPL-1.2"),
    ]
    assert "| probe-dep | 1.0 | EUPL-1.2 |" in (bundle / "MANIFEST.md").read_text()
    listed = {line.split("  ", 1)[1] for line in (bundle / ob.SUMS).read_text().splitlines()}
    assert listed == set(ob.bundle_files(bundle)) and "install.sh" in listed and "manifest.json" in listed


@pytest.mark.parametrize(
    ("fields", "licence"),
    [
        ({"License-Expression": "MIT", "License": "BSD"}, "MIT"),
        ({"License": "BSD-3-Clause"}, "BSD-3-Clause"),
        (
            {"License": "UNKNOWN", "Classifier": "License :: OSI Approved :: Apache Software License"},
            "Apache Software License",
        ),
        ({}, ""),
    ],
)
def test_licence_of_reads_expression_then_field_then_classifiers(
    fields: dict[str, str], licence: str
) -> None:
    import email.message

    metadata = email.message.Message()
    for key, value in fields.items():
        metadata[key] = value
    assert ob.licence_of(metadata) == licence


def test_a_manylinux_platform_takes_the_wheels_of_older_glibc_too() -> None:
    tags = ob.expand_platforms(["manylinux_2_28_x86_64", "win_amd64"])
    assert tags[0] == "manylinux_2_28_x86_64" and "manylinux_2_17_x86_64" in tags
    assert {"manylinux2014_x86_64", "manylinux1_x86_64", "win_amd64"} <= set(tags)
    assert "manylinux_2_29_x86_64" not in tags
    assert ob.expand_platforms(["manylinux_2_17_aarch64"]) == [
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
    ]


def test_gbvs_version_names_the_bundle_it_was_installed_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gbvs.cli import main as cli

    assert cli.INSTALL_RECORD == ob.INSTALL_RECORD
    record = {
        "bundle": "gbvs-offline-0.1.0-cp311-linux_x86_64",
        "source_commit": "e04e9463",
        "installed_at": "2026-12-07",
    }
    (tmp_path / ob.INSTALL_RECORD).write_text(json.dumps(record))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == (
        "gbvs 0.1.0, from offline bundle gbvs-offline-0.1.0-cp311-linux_x86_64 "
        "(commit e04e9463, installed 2026-12-07)"
    )
    (tmp_path / ob.INSTALL_RECORD).unlink()
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "gbvs 0.1.0"


def test_the_wheelhouse_variable_is_not_taken_for_a_misspelt_setting(tmp_path: Path) -> None:
    """scripts/start passes GBVS_WHEELHOUSE on to every gbvs command it runs after setup."""
    from gbvs.config import check_variable_names

    check_variable_names({"GBVS_WHEELHOUSE": "../gbvs-offline-0.1.0"}, tmp_path / ".env")


def test_the_archive_named_instead_of_its_folder_is_refused_with_how_to_unpack_it(tmp_path: Path) -> None:
    archive = tmp_path / "gbvs-offline-0.1.0-test.tar.gz"
    archive.write_bytes(b"\x1f\x8b")
    result = _install(archive, tmp_path / "venv")
    assert result.returncode == ob.EXIT_BAD_BUNDLE
    assert "this is the bundle's archive" in result.stderr and f"tar xzf {archive.name}" in result.stderr
