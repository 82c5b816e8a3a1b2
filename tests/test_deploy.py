"""The Dockerfile, compose file and systemd units against the code they run: paths, user,
entry point, health check, settings names. Building the image needs a Docker daemon and a
reachable base image; where either is missing that one test is skipped and says why."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest
import yaml

from bot.ops import healthcheck
from bot.ops.cli import parser
from bot.ops.settings import HEALTH_PATH, Settings, listen_address

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
ALIASES = {field.alias for field in Settings.model_fields.values()}


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def instruction(name: str) -> list[str]:
    return [rest for word, rest in dockerfile() if word == name]


def docker_env() -> dict[str, str]:
    env = {}
    for rest in instruction("ENV"):
        env.update(dict(part.split("=", 1) for part in shlex.split(rest)))
    return env


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's keys (any section) with every value given, in order."""
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def test_the_image_holds_exactly_the_installed_packages() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]
                ["include"]}
    copied = {src for rest in instruction("COPY") for src in shlex.split(rest)[:-1]}
    assert copied == packages | {"pyproject.toml", "uv.lock", "README.md",
                                  "deploy/uv-requirements.txt"}
    python = re.fullmatch(r"python:(\d+)\.(\d+)-slim", instruction("FROM")[0])
    assert python is not None
    need = tuple(int(x) for x in project["project"]["requires-python"][2:].split("."))
    assert (int(python[1]), int(python[2])) >= need
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", ".env", "*.db"} <= set(ignored)  # no secrets or data in the image


def test_the_image_runs_veldgids_run_as_a_user_who_owns_only_the_volume() -> None:
    assert instruction("ENTRYPOINT") == ['["veldgids"]'] and instruction("CMD") == ['["run"]']
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["veldgids"] == "bot.ops.cli:main"
    commands = next(a for a in parser()._actions if a.choices)  # noqa: SLF001 - argparse's
    assert "run" in commands.choices  # type: ignore[operator]
    user = instruction("USER")
    assert user == ["veldgids"]
    useradd = next(r for r in instruction("RUN") if "useradd" in r)
    volume = PurePosixPath(instruction("VOLUME")[0])
    assert f"--home-dir {volume} " in useradd and f"chown -R veldgids:veldgids {volume}" in useradd
    assert "--uid 10001" in useradd  # not root, not a login
    env = docker_env()
    assert set(env) - {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR",
                       "PIP_DISABLE_PIP_VERSION_CHECK"} <= ALIASES
    for name in ("VELDGIDS_DB", "VELDGIDS_DATA_DIR"):
        assert PurePosixPath(env[name]).is_relative_to(volume), name
    assert instruction("WORKDIR")[-1] == str(volume)  # a .env there is read too


def test_the_health_check_asks_healthz_on_the_exposed_port() -> None:
    env = docker_env()
    host, port = listen_address(env["VELDGIDS_LISTEN"])
    assert host == "0.0.0.0" and instruction("EXPOSE") == [str(port)]
    health = instruction("HEALTHCHECK")[0]
    assert health.endswith('CMD ["python", "-m", "bot.ops.healthcheck"]')
    assert healthcheck.url(env["VELDGIDS_LISTEN"]) == f"http://127.0.0.1:{port}{HEALTH_PATH}"
    assert healthcheck.url("[::]:9000") == f"http://[::1]:9000{HEALTH_PATH}"
    assert instruction("STOPSIGNAL") == ["SIGTERM"]
    # ...which is what bot/telegram/runner.py stops cleanly on (tests/e2e/test_lifecycle.py).
    assert "signal.SIGTERM" in (ROOT / "bot" / "telegram" / "runner.py").read_text(encoding="utf-8")


def test_compose_runs_one_container_per_library_on_its_own_volume_and_port() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    volume = instruction("VOLUME")[0]
    port = instruction("EXPOSE")[0]
    services = compose["services"]
    assert len(services) >= 2
    volumes, host_ports, env_files = set(), set(), set()
    for service in services.values():
        assert service["image"] == "veldgids:latest" and service["restart"] == "unless-stopped"
        [mount] = service["volumes"]
        name, target = mount.split(":")
        assert target == volume and name in compose["volumes"]
        volumes.add(name)
        [published] = service["ports"]
        address, host_port, container = published.split(":")
        assert address == "127.0.0.1" and container == port
        host_ports.add(host_port)
        env_files.add(service["env_file"])
    assert len(volumes) == len(host_ports) == len(env_files) == len(services)
    built = [s for s in services.values() if "build" in s]
    assert len(built) == 1 and (DEPLOY / built[0]["build"] / "Dockerfile").exists()


@pytest.mark.parametrize("name", ["veldgids.service", "veldgids@.service"])
def test_the_systemd_units_sandbox_the_bot_and_let_it_write_its_data_only(name: str) -> None:
    keys = unit(name)
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes",
                       "Restart": "on-failure", "KillSignal": "SIGTERM", "User": "veldgids",
                       "ProtectHome": "yes", "PrivateTmp": "yes", "UMask": "0077"}.items():
        assert keys[key] == [value], key
    assert keys["ExecStart"][0].endswith("/.venv/bin/veldgids run")
    assert int(keys["LimitNOFILE"][0]) >= 4096  # open files: room beyond the listener's cap
    env = dict(v.split("=", 1) for v in keys["Environment"])
    assert set(env) <= ALIASES
    [writable] = keys["ReadWritePaths"]
    for setting in ("VELDGIDS_DB", "VELDGIDS_DATA_DIR"):
        assert PurePosixPath(env[setting]).is_relative_to(writable), setting
    assert keys["WorkingDirectory"] == [writable]
    if name.startswith("veldgids@"):  # each library its own settings, database and files
        assert keys["EnvironmentFile"] == ["/etc/veldgids/%i.env"]
        assert writable == "/var/lib/veldgids/%i"


def test_the_example_settings_are_real_settings() -> None:
    lines = (DEPLOY / "library.env.example").read_text(encoding="utf-8").splitlines()
    names = {line.lstrip("# ").split("=", 1)[0] for line in lines
             if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()}
    assert names and names <= ALIASES


def _docker(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def test_the_image_builds_and_runs() -> None:
    try:
        info = _docker("info", timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"no Docker client here ({exc}); the image is built where one is")
    if info.returncode != 0:
        reason = (info.stderr.strip().splitlines() or ["docker info failed"])[-1]
        pytest.skip(f"no Docker daemon reachable ({reason}); the image is built where one is")
    built = _docker("build", "-t", "veldgids-test:latest", str(ROOT))
    if built.returncode != 0 and re.search(r"pull|resolve|registry|TLS|dial tcp",
                                           built.stderr, re.IGNORECASE):
        pytest.skip("the base image could not be pulled here: "
                    + built.stderr.strip().splitlines()[-1])
    assert built.returncode == 0, built.stderr[-3000:]
    ran = _docker("run", "--rm", "veldgids-test:latest", "validate-dialogs", timeout=120)
    assert ran.returncode == 0 and ran.stdout.startswith("OK:"), ran.stderr
    who = _docker("run", "--rm", "--entrypoint", "id", "veldgids-test:latest", "-u")
    assert who.stdout.strip() == "10001"


def test_the_lock_matches_pyproject() -> None:
    """`make test` installs from uv.lock with --frozen, which trusts the lock as it is: a
    dependency changed in pyproject.toml without `make lock` would go untested. uv's check
    reads only the two files (offline)."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.is_file():
        pytest.skip("uv is installed by the Makefile; this environment was made otherwise")
    checked = subprocess.run([str(uv), "lock", "--check", "--offline"], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
