"""Installed the way Python users install things: the wheel, in a fresh venv, run from another folder.

One test (about a minute: the venv is filled from pip's cache), marked ``wheel`` so a quick
local run can leave it out with ``-m 'not wheel'``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTE = ROOT / "src" / "needs_tracker" / "data" / "notes" / "000_da8e46648e842381.txt"


def run(*args: str | Path, cwd: Path, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.wheel
def test_the_wheel_works_from_a_fresh_venv_outside_the_checkout(tmp_path):
    # PYTHONDONTWRITEBYTECODE (set on some machines) is dropped: the venv is installed with --no-compile,
    # so without it each of the commands below compiled pandas, duckdb, streamlit... from source again
    # (the test took twice as long); the first command now writes the .pyc files the next ones read.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEEDS_TRACKER_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(XDG_DATA_HOME=str(tmp_path / "xdg"), NEEDS_TRACKER_CHARTS="off", PIP_DISABLE_PIP_VERSION_CHECK="1")
    # Built from a clean copy of what the wheel is made of: setuptools' build/ folder in the
    # checkout would otherwise carry stale files into it (and the checkout stays untouched).
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source, cwd=tmp_path, env=env)
    wheel = next(dist.glob("needs_tracker-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=env)
    # pip from this environment installs into the new one (no pip bootstrap); no .pyc compilation
    # (Python compiles what it imports), binary wheels only, from pip's warm cache.
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-compile",
        "--only-binary", ":all:", wheel, cwd=tmp_path, env=env, timeout=600)
    tool = venv / "bin" / "needs-tracker"
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "notes").mkdir()
    (work / "notes" / NOTE.name).write_bytes(NOTE.read_bytes())

    extracted = json.loads(run(tool, "extract", f"notes/{NOTE.name}", "--json", cwd=work, env=env).stdout)
    assert extracted["needs"] and extracted["participant_states"]
    out = run(tool, "ingest", "notes", cwd=work, env=env).stdout
    assert out.splitlines()[-1] == "1 file: 1 ingested"
    store = tmp_path / "xdg" / "needs-tracker" / "needs.duckdb"  # the per-user data folder
    assert store.is_file()
    config = {r["setting"]: r for r in json.loads(run(tool, "config", "--json", cwd=work, env=env).stdout)}
    assert config["NEEDS_TRACKER_DB"]["value"] == str(store)
    assert config["NEEDS_TRACKER_DB"]["source"] == "default (per-user data folder)"
    assert str(venv) in config["packaged data"]["value"]
    formats = ("csv", "xlsx", "html", "pdf")
    for fmt in formats:
        run(tool, "export", "--format", fmt, "-o", f"needs.{fmt}", cwd=work, env=env)
        assert (work / f"needs.{fmt}").stat().st_size > 500, fmt
    published = run(tool, "publish", "snap", cwd=work, env=env).stdout
    assert ": 1 document, 1 event, " in published  # the counts `stats` gives, singular for one
    train = subprocess.run([str(tool), "train"], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert train.returncode == 2 and train.stderr.count("\n") == 1, train.stderr  # no checkout: no labelled sets
    assert "they live in a source checkout (tests/corpus/ and ../shared/)" in train.stderr

    port = free_port()
    server = subprocess.Popen([tool, "dashboard", "--snapshot", "snap", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert server.poll() is None, "the dashboard exited"
                assert time.monotonic() < deadline, "the dashboard did not answer"
                time.sleep(0.3)
        with urllib.request.urlopen(base + "/app/static/world_110m.json", timeout=5) as r:
            assert json.loads(r.read())["type"] == "Topology"  # the map is served from the package
    finally:
        server.terminate()
        server.wait(timeout=20)
