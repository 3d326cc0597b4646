#!/usr/bin/env python3
"""GBVS without internet: build a bundle of wheels where a package index is reachable, then verify it and
install it into a virtual environment on a laptop that reaches none.

    python3 scripts/offline_bundle.py build [--python-version 3.12] [--platform TAG]... [--with-spark]
    python3 offline_bundle.py verify BUNDLE
    python3 offline_bundle.py install BUNDLE [--venv DIR]

``scripts/bundle`` runs ``build``; ``GBVS_WHEELHOUSE=BUNDLE bash scripts/setup`` and the bundle's own
``install.sh`` run ``install``. Standard library only: the installing half runs before anything is installed,
and a copy of this file travels in every bundle. See docs/operations.md ("Installing without internet").
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.message
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
WHEELS = "wheels"
INSTALL_RECORD = "gbvs-bundle.json"
"""Written into the virtual environment after an install: which bundle it came from (``gbvs --version``)."""
BUNDLE_FORMAT = 1
EXTRAS = {"spark": "PySpark for the Spark backend of the panels (docs/panels.md); needs Java 17+"}
"""The extras a bundle may carry. The dev extra (tests, linters) is never bundled: a laptop needs none."""
EXIT_USAGE, EXIT_BAD_BUNDLE, EXIT_PIP = 2, 4, 1


class BundleError(Exception):
    """A bundle that cannot be built, trusted or installed; the message names the file and the fix."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_BUNDLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# -- shared: checksums, wheel names ---------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel_tags(filename: str) -> tuple[str, set[str]]:
    """The project name and the compatibility tags (``py3-none-any``) of a wheel file (PEP 427)."""
    parts = filename[: -len(".whl")].split("-")
    if not filename.endswith(".whl") or len(parts) not in (5, 6):
        raise BundleError(f"{filename}: not a wheel file name (name-version-python-abi-platform.whl)")
    name, pythons, abis, platforms = parts[0], parts[-3], parts[-2], parts[-1]
    tags = {
        f"{p}-{a}-{pl}" for p in pythons.split(".") for a in abis.split(".") for pl in platforms.split(".")
    }
    return canonical_name(name), tags


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundle_files(bundle: Path) -> list[str]:
    """Every file in the bundle but SHA256SUMS, as POSIX paths relative to it, sorted."""
    return sorted(
        p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() and p.name != SUMS
    )


# -- verify -----------------------------------------------------------------------------------------


def read_sums(bundle: Path) -> dict[str, str]:
    sums_file = bundle / SUMS
    if not sums_file.is_file():
        raise BundleError(
            f"{sums_file}: missing, so the bundle cannot be checked. Copy the whole bundle folder again, "
            "or build a new one with scripts/bundle"
        )
    sums: dict[str, str] = {}
    for number, line in enumerate(sums_file.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line.strip())
        if not match:
            raise BundleError(
                f"{sums_file}, line {number}: {line!r} is not '<sha256>  <file>'. The file is damaged: copy "
                "the bundle again"
            )
        sums[match.group(2)] = match.group(1)
    return sums


def verify(bundle: Path) -> dict[str, object]:
    """Check every file against SHA256SUMS, and that no file is missing or added; return the manifest.

    All problems are named at once, each with its file, so one look tells whether to copy again."""
    if bundle.is_file() and bundle.name.endswith(".tar.gz"):
        raise BundleError(
            f"{bundle}: this is the bundle's archive. Check it (sha256sum -c {bundle.name}.sha256), "
            f"unpack it (tar xzf {bundle.name}) and name the folder it makes"
        )
    if not bundle.is_dir():
        raise BundleError(
            f"{bundle}: no such folder. Unpack the bundle first (tar xzf gbvs-offline-....tar.gz) and "
            "name the folder it makes"
        )
    sums = read_sums(bundle)
    problems = []
    for name, expected in sums.items():
        path = bundle / name
        if not path.is_file():
            problems.append(f"{name}: listed in {SUMS} but missing from the bundle")
            continue
        found = sha256_of(path)
        if found != expected:
            problems.append(
                f"{name}: SHA-256 {found} ({path.stat().st_size} bytes) differs from {expected} in {SUMS}: "
                "the file is truncated or changed"
            )
    problems += [f"{name}: not listed in {SUMS}" for name in bundle_files(bundle) if name not in sums]
    if problems:
        raise BundleError(
            f"bundle {bundle} failed its check, nothing was installed:\n  "
            + "\n  ".join(problems)
            + "\nCopy the bundle again from where it was built (compare the .tar.gz with its .sha256 file), "
            "or build a new one there with scripts/bundle."
        )
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(
            f"{bundle / MANIFEST}: not a bundle of format {BUNDLE_FORMAT}, the one this installer reads. "
            "Use the install.sh inside the bundle"
        )
    return manifest


# -- install ----------------------------------------------------------------------------------------


def _pip_environment() -> dict[str, str]:
    """The environment of every pip run that installs: no index, no pip configuration of the machine (its
    find-links or constraints would let something other than the bundle in), no PIP_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _supported_tags(python: Path) -> list[str]:
    """The wheel tags the environment's interpreter accepts, most specific first (pip's own list)."""
    code = "from pip._vendor.packaging.tags import sys_tags; print('\\n'.join(str(t) for t in sys_tags()))"
    out = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True, env=_pip_environment()
    )
    return out.stdout.split()


def target_text(manifest: dict[str, object]) -> str:
    target = manifest["target"]
    assert isinstance(target, dict)
    return f"Python {target['python_version']} on {', '.join(target['platforms']) or target['label']}"


def check_wheels_fit(manifest: dict[str, object], tags: list[str]) -> None:
    """Refuse a bundle with a package that has no wheel this interpreter can use, naming each such package."""
    supported = set(tags)
    packages = manifest["packages"]
    assert isinstance(packages, list)
    unfit = [p for p in packages if not (wheel_tags(p["file"])[1] & supported)]
    if unfit:
        here = tags[0] if tags else "?"
        python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
        platform = here.rsplit("-", 1)[-1]
        names = ", ".join(f"{p['name']} {p['version']} ({p['file']})" for p in unfit)
        raise BundleError(
            f"the bundle was built for {target_text(manifest)}; this machine needs wheels tagged {here} and "
            f"the bundle has none for: {names}. Nothing was installed. Build a bundle for this machine on "
            f"one with internet: bash scripts/bundle --python-version {python_version} --platform {platform} "
            "(docs/operations.md, 'Installing without internet')"
        )


def _recorded_bundle(venv: Path) -> dict[str, object] | None:
    try:
        record = json.loads((venv / INSTALL_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def install(bundle: Path, venv: Path, python: str = sys.executable) -> str:
    """Verify the bundle, then install GBVS from it alone into ``venv`` (made if missing); say what it did."""
    started = time.monotonic()
    manifest = verify(bundle)
    sums_digest = sha256_of(bundle / SUMS)
    record = _recorded_bundle(venv)
    if record and record.get("sha256sums") == sums_digest and _venv_python(venv).exists():
        return f"{venv} already holds GBVS {manifest['gbvs_version']} from bundle {manifest['name']}"
    created = not _venv_python(venv).exists()
    if created:
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    try:
        venv_python = _venv_python(venv)
        check_wheels_fit(manifest, _supported_tags(venv_python))
        _pip_install(bundle, manifest, venv_python)
    except BaseException:
        if created:
            shutil.rmtree(venv, ignore_errors=True)
        raise
    record = {
        "bundle": manifest["name"],
        "gbvs_version": manifest["gbvs_version"],
        "source_commit": manifest.get("source_commit"),
        "built_at": manifest.get("built_at"),
        "sha256sums": sums_digest,
        "installed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (venv / INSTALL_RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    seconds = time.monotonic() - started
    return (
        f"installed GBVS {manifest['gbvs_version']} from bundle {manifest['name']} into {venv} "
        f"in {seconds:.0f} s"
    )


def _pip_install(bundle: Path, manifest: dict[str, object], venv_python: Path) -> None:
    extras = manifest.get("extras") or []
    assert isinstance(extras, list)
    requirement = (
        f"gbvs[{','.join(extras)}]=={manifest['gbvs_version']}"
        if extras
        else f"gbvs=={manifest['gbvs_version']}"
    )
    command = [
        str(venv_python), "-m", "pip", "install", "--no-index", "--find-links", str(bundle / WHEELS),
        "--only-binary=:all:", "--force-reinstall", "--constraint", str(bundle / "constraints.txt"),
        requirement,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=_pip_environment())
    if result.returncode == 0:
        check = subprocess.run(
            [str(venv_python), "-m", "pip", "check"], capture_output=True, text=True, env=_pip_environment()
        )
        if check.returncode == 0:
            return
        result = check
    missing = re.findall(r"No matching distribution found for (\S+)", result.stdout + result.stderr)
    hint = (
        f"The bundle lacks {', '.join(missing)}, which this machine needs: pip chooses some dependencies by "
        "the operating system, so build the bundle on a machine of the same kind as this one "
        f"({target_text(manifest)})."
        if missing
        else "pip's output above says what went wrong."
    )
    raise BundleError(f"{result.stdout}{result.stderr}\ninstalling from {bundle} failed. {hint}", EXIT_PIP)


# -- build ------------------------------------------------------------------------------------------


def _platform_label() -> str:
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


_LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def expand_platforms(platforms: Sequence[str]) -> list[str]:
    """pip takes ``--platform manylinux_2_28_x86_64`` literally; a Linux with glibc 2.28 also runs the wheels
    for every older glibc, so add those tags (and their legacy names manylinux2014/2010/1), newest first."""
    expanded: list[str] = []
    for platform in platforms:
        tags = [platform]
        match = re.fullmatch(r"manylinux_2_(\d+)_(\w+)", platform)
        if match:
            glibc, arch = int(match.group(1)), match.group(2)
            old_arch = arch in ("x86_64", "i686")
            tags = []
            for minor in range(glibc, 4 if old_arch else 16, -1):
                tags.append(f"manylinux_2_{minor}_{arch}")
                legacy = _LEGACY_MANYLINUX.get(minor)
                if legacy and (old_arch or minor == 17):
                    tags.append(f"{legacy}_{arch}")
        expanded += [t for t in tags if t not in expanded]
    return expanded


def licence_of(metadata: email.message.Message) -> str:
    """The licence a wheel's METADATA states: License-Expression, else the License field's first line, else
    the License classifiers; empty when it says none."""
    if metadata.get("License-Expression"):
        return str(metadata["License-Expression"]).strip()
    text = str(metadata.get("License") or "").strip()
    if text and text.upper() != "UNKNOWN":
        first = text.splitlines()[0].strip()
        return first if len(first) <= 80 and len(text.splitlines()) == 1 else f"{first[:77]}..."
    classifiers = [
        c.split("::")[-1].strip() for c in metadata.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    return "; ".join(classifiers)


def describe_wheel(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        metadata = email.parser.BytesParser().parsebytes(archive.read(name), headersonly=True)
    return {
        "name": canonical_name(str(metadata["Name"])),
        "version": str(metadata["Version"]),
        "licence": licence_of(metadata),
        "file": f"{WHEELS}/{path.name}",
        "sha256": sha256_of(path),
    }


def _source_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--abbrev=12"],
                             capture_output=True, text=True, check=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def _copy_source(into: Path) -> None:
    """The files git tracks (as they are in the work tree), so no build/ leftovers or untracked files reach
    the wheel; outside a git checkout, the folder without its environments and build products."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True
        ).stdout
        names = [n for n in listed.decode().split("\0") if n and (ROOT / n).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = shutil.ignore_patterns(
            ".git", ".venv", "dist", "build", "*.egg-info", "__pycache__", ".*_cache"
        )
        shutil.copytree(ROOT, into, ignore=skip, dirs_exist_ok=True)
        return
    for name in names:
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, into / name)


def write_sums(bundle: Path) -> None:
    lines = [f"{sha256_of(bundle / name)}  {name}" for name in bundle_files(bundle)]
    (bundle / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_manifest(bundle: Path, manifest: dict[str, object]) -> None:
    (bundle / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    packages, extras = manifest["packages"], manifest["extras"]
    assert isinstance(packages, list) and isinstance(extras, list)
    rows = [
        f"| {p['name']} | {p['version']} | {p['licence'] or '(not stated in the wheel)'} | {p['file']} |"
        for p in packages
    ]
    table = ["| package | version | licence | wheel |", "|---|---|---|---|", *rows]
    header = (
        f"# {manifest['name']}\n\nGBVS {manifest['gbvs_version']} "
        f"({manifest.get('source_commit') or 'no commit'}), built {manifest['built_at']} for "
        f"{target_text(manifest)}; extras: {', '.join(extras) or 'none'}."
        "\nLicences as the wheels' metadata state them.\n\n"
    )
    (bundle / "MANIFEST.md").write_text(header + "\n".join(table) + "\n", encoding="utf-8")


INSTALL_SH = """#!/usr/bin/env sh
# Install GBVS from this bundle, without internet: checks SHA256SUMS first, then installs into VENV
# (default: .venv in the current folder). Usage: sh install.sh [--venv DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "${PYTHON:-python3}" "$here/offline_bundle.py" install "$here" "$@"
"""

README_TXT = """GBVS installeren zonder internet / Installing GBVS without internet

1. Controleer het archief met het .sha256-bestand ernaast / check the archive against the .sha256 beside it:
     sha256sum -c {name}.tar.gz.sha256
2. Pak het uit en installeer / unpack and install (Python {python_version}):
     tar xzf {name}.tar.gz
     sh {name}/install.sh --venv gbvs-venv        # of/or, in a GBVS checkout:
     GBVS_WHEELHOUSE=$PWD/{name} bash scripts/setup
De installatie controleert eerst SHA256SUMS en installeert niets als een bestand ontbreekt of afwijkt.
The install checks SHA256SUMS first and installs nothing when a file is missing or changed.
MANIFEST.md: every package, its version and licence.
"""


def assemble(
    bundle: Path, name: str, version: str, target: dict[str, object], extras: Sequence[str]
) -> list[dict[str, str]]:
    """Complete a folder whose wheels/ holds every wheel: manifest, constraints, installer, SHA256SUMS."""
    packages = [describe_wheel(path) for path in sorted((bundle / WHEELS).glob("*.whl"))]
    manifest: dict[str, object] = {
        "format": BUNDLE_FORMAT,
        "name": name,
        "gbvs_version": version,
        "source_commit": _source_commit(),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target": target,
        "extras": list(extras),
        "packages": packages,
    }
    write_manifest(bundle, manifest)
    shutil.copy2(ROOT / "constraints.txt", bundle / "constraints.txt")
    shutil.copy2(Path(__file__), bundle / "offline_bundle.py")
    (bundle / "install.sh").write_text(INSTALL_SH, encoding="utf-8")
    readme = README_TXT.format(name=name, python_version=target["python_version"])
    (bundle / "LEESMIJ.txt").write_text(readme, encoding="utf-8")
    write_sums(bundle)
    return packages


def build(
    output: Path, python_version: str | None, platforms: Sequence[str], extras: Sequence[str], archive: bool
) -> Path:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = str(project["version"])
    py_version = python_version or f"{sys.version_info.major}.{sys.version_info.minor}"
    if not re.fullmatch(r"3\.\d{1,2}", py_version):
        raise BundleError(f"--python-version {py_version!r}: give major.minor, e.g. 3.12", EXIT_USAGE)
    python_tag = "cp" + py_version.replace(".", "")
    target_platforms = expand_platforms(platforms)
    label = target_platforms[0] if target_platforms else _platform_label()
    name = f"gbvs-offline-{version}-{python_tag}-{label}"
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=output))
    try:
        wheels = staging / WHEELS
        with tempfile.TemporaryDirectory(prefix="gbvs-source.") as source:
            _copy_source(Path(source))
            _run_pip(["wheel", "--no-deps", "--wheel-dir", str(wheels), source], "building the GBVS wheel")
        gbvs_wheel = next(wheels.glob("gbvs-*.whl"))
        requirement = (
            f"gbvs[{','.join(extras)}] @ {gbvs_wheel.resolve().as_uri()}" if extras else str(gbvs_wheel)
        )
        started = time.monotonic()
        _collect_wheels(wheels, requirement, py_version if python_version else None, target_platforms)
        seconds = time.monotonic() - started
        target_info: dict[str, object] = {
            "python_version": py_version,
            "abi": python_tag,
            "platforms": target_platforms,
            "label": label,
        }
        packages = assemble(staging, name, version, target_info, extras)
        final = output / name
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    size = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
    print(
        f"bundle {final}: {len(packages)} wheels, {size / 2**20:.0f} MiB; pip download took {seconds:.0f} s"
    )
    if archive:
        _write_archive(final)
    return final


def _collect_wheels(wheels: Path, requirement: str, python_version: str | None, platforms: list[str]) -> None:
    """Every wheel ``requirement`` needs under constraints.txt into ``wheels``.

    ``pip wheel`` resolves for this machine and builds a wheel from each package that publishes only a source
    archive (cpe, for one). For another Python or platform, ``pip download --only-binary=:all:`` then takes
    the target's wheels from the index, and the pure-Python wheels built here (``py3-none-any``) from beside
    it; a package with neither fails with pip's message naming it."""
    constraint = ["--constraint", str(ROOT / "constraints.txt")]
    if python_version is None and not platforms:
        _run_pip(["wheel", *constraint, "--wheel-dir", str(wheels), requirement], "collecting the wheels")
        return
    with tempfile.TemporaryDirectory(prefix="gbvs-wheels.") as local_dir:
        local, pure = Path(local_dir) / "local", Path(local_dir) / "pure"
        _run_pip(
            ["wheel", *constraint, "--wheel-dir", str(local), requirement], "building wheels from sources"
        )
        pure.mkdir()
        for path in local.glob("*.whl"):
            if all(tag.endswith("-none-any") for tag in wheel_tags(path.name)[1]):
                shutil.copy2(path, pure / path.name)
        target = ["--implementation", "cp"]
        if python_version:
            target += ["--python-version", python_version, "--abi", "cp" + python_version.replace(".", "")]
        target += [arg for platform in platforms for arg in ("--platform", platform)]
        _run_pip(
            ["download", "--only-binary=:all:", *constraint, "--find-links", str(pure), "--dest", str(wheels),
             *target, requirement],
            "downloading the wheels for the target",
        )  # fmt: skip


def _write_archive(bundle: Path) -> Path:
    tarball = bundle.with_name(bundle.name + ".tar.gz")
    partial = tarball.with_name(tarball.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(bundle, arcname=bundle.name)
    partial.replace(tarball)
    tarball.with_name(tarball.name + ".sha256").write_text(
        f"{sha256_of(tarball)}  {tarball.name}\n", encoding="utf-8"
    )
    print(f"archive {tarball} ({tarball.stat().st_size / 2**20:.0f} MiB) and {tarball.name}.sha256")
    return tarball


def _run_pip(args: list[str], what: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    result = subprocess.run(command)
    if result.returncode != 0:
        raise BundleError(
            f"{what} failed (pip exit {result.returncode}, output above). A package without a wheel for this "
            "target cannot go into a bundle: choose a --platform/--python-version it has wheels for, or "
            "build the bundle on a machine of the laptop's kind",
            EXIT_PIP,
        )


# -- command line -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="offline_bundle.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("build", help="build a bundle (needs a package index)")
    make.add_argument(
        "--output", type=Path, default=ROOT / "dist", help="folder for the bundle (default dist/)"
    )
    make.add_argument("--python-version", help="the laptop's Python, major.minor (default: this Python's)")
    make.add_argument(
        "--platform",
        action="append",
        default=[],
        help="the laptop's wheel platform tag, e.g. win_amd64, manylinux_2_28_x86_64, macosx_11_0_arm64 "
        "(repeatable; default: this machine's)",
    )
    make.add_argument(
        "--with-spark", action="store_true", help="add PySpark (a 435 MB wheel) for the Spark backend"
    )
    make.add_argument("--no-archive", action="store_true", help="the folder only, no .tar.gz")
    check = sub.add_parser("verify", help="check a bundle against its SHA256SUMS")
    check.add_argument("bundle", type=Path)
    put = sub.add_parser("install", help="verify, then install GBVS from the bundle alone")
    put.add_argument("bundle", type=Path)
    put.add_argument(
        "--venv", type=Path, default=Path(".venv"), help="the virtual environment (default .venv)"
    )
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    try:
        if args.command == "build":
            extras = ["spark"] if args.with_spark else []
            build(args.output, args.python_version, args.platform, extras, not args.no_archive)
        elif args.command == "verify":
            manifest = verify(args.bundle)
            packages = manifest["packages"]
            assert isinstance(packages, list)
            print(
                f"bundle {manifest['name']}: all files match {SUMS} "
                f"({len(packages)} wheels, {target_text(manifest)})"
            )
        else:
            print(install(args.bundle.resolve(), args.venv.resolve()))
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
