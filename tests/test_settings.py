"""The one settings object: every variable read in one place, when needed; bad values are one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from needs_tracker import config, serve
from needs_tracker.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("name", "value", "accepts"), [
    ("NEEDS_TRACKER_LOCK_WAIT", "abc", "a number of seconds from 0 to 3600"),
    ("NEEDS_TRACKER_LOCK_WAIT", "-1", "a number of seconds from 0 to 3600"),
    ("NEEDS_TRACKER_MAX_FILE_MB", "inf", "a number of megabytes above 0 and at most 10240"),
    ("NEEDS_TRACKER_MAX_FILE_MB", "abc", "a number of megabytes above 0 and at most 10240"),
    ("NEEDS_TRACKER_MAX_FILE_MB", "0", "a number of megabytes above 0 and at most 10240"),
    ("NEEDS_TRACKER_MAX_FILE_MB", "nan", "a number of megabytes above 0 and at most 10240"),
    ("NEEDS_TRACKER_MAX_TEXT_CHARS", "0.5", "a whole number of characters from 1 to 100000000"),
    ("NEEDS_TRACKER_MAX_TEXT_CHARS", "0", "a whole number of characters from 1 to 100000000"),
    ("NEEDS_TRACKER_CHART_TIMEOUT", "1e999", "a number of seconds above 0 and at most 3600"),
    ("NEEDS_TRACKER_CHARTS", "sometimes", "on or off"),
    ("NEEDS_TRACKER_DB", ":memory:", "a file path or a DuckDB database string such as md:NAME (not :memory:"),
    ("NEEDS_TRACKER_RULES_DIR", "/no/such/folder", "a folder holding need_rules.toml, taxonomy.toml and/or"),
    ("NEEDS_TRACKER_SNAPSHOT", "/no/such/folder", "a folder written by `needs-tracker publish`"),
    ("NEEDS_TRACKER_FONT_DIR", "/no/such/folder", "a folder (holding DejaVuSans.ttf"),
])
def test_a_bad_value_is_one_line_naming_the_variable_and_what_it_accepts(monkeypatch, capsys, name, value, accepts):
    monkeypatch.setenv(name, value)
    with pytest.raises(config.SettingError) as caught:
        config.get(name)
    assert str(caught.value).startswith(f"{name}={value!r} is not valid: it accepts {accepts}")
    assert main(["stats"]) == 2  # checked before the command does anything
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"needs-tracker: {name}=")


def test_config_reports_a_bad_password_setting_without_printing_it(monkeypatch, capsys):
    monkeypatch.setenv("NEEDS_TRACKER_EDITOR_PASSWORD_HASH", "scrypt$16384$8$1$c2FsdA$a2V5")  # no editor name
    assert main(["config"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("needs-tracker: NEEDS_TRACKER_EDITOR_PASSWORD_HASH must name each editor: "
                            "'name:hash;name:hash' (make each with `python -m needs_tracker.auth hash --name NAME`)\n")
    assert "c2FsdA" not in captured.out


def test_good_values_are_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("NEEDS_TRACKER_MAX_FILE_MB", "0.5")
    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "2")
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "OFF")
    monkeypatch.setenv("NEEDS_TRACKER_FONT_DIR", str(tmp_path))
    assert config.max_file_bytes() == 512 * 1024
    assert config.lock_wait() == 2.0
    assert config.charts_enabled() is False
    assert config.font_dir() == tmp_path.resolve()
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "")  # VAR= means not set
    assert config.charts_enabled() is True


def test_no_setting_is_read_at_import():
    env = dict(os.environ, NEEDS_TRACKER_LOCK_WAIT="abc", NEEDS_TRACKER_CHART_TIMEOUT="x",
               NEEDS_TRACKER_MAX_FILE_MB="y")
    code = ("import needs_tracker.store.connection, needs_tracker.store.migrations, needs_tracker.readers, "
            "needs_tracker.export, needs_tracker.export.charts, "
            "needs_tracker.auth, needs_tracker.cli, needs_tracker.publish, needs_tracker.serve")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_a_bad_setting_in_a_real_process_gives_no_traceback(tmp_path):
    env = dict(os.environ, NEEDS_TRACKER_LOCK_WAIT="abc")
    done = subprocess.run([sys.executable, "-m", "needs_tracker.cli", "stats"], env=env, cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == ("needs-tracker: NEEDS_TRACKER_LOCK_WAIT='abc' is not valid: "
                           "it accepts a number of seconds from 0 to 3600\n")


def test_config_lists_every_setting_with_its_origin(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[editor_passwords]\nana = "scrypt$secret-value"\n')
    monkeypatch.delenv("NEEDS_TRACKER_EDITOR_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "3")
    monkeypatch.setenv("NEEDS_TRACKER_TYPO", "1")
    assert main(["config", "--json"]) == 0
    captured = capsys.readouterr()
    rows = {r["setting"]: r for r in json.loads(captured.out)}
    assert set(config.SETTINGS) <= set(rows)
    assert rows["NEEDS_TRACKER_LOCK_WAIT"] == {"setting": "NEEDS_TRACKER_LOCK_WAIT", "value": "3",
                                               "source": "environment"}
    assert rows["NEEDS_TRACKER_DB"]["source"] == "environment"  # the test fixture sets it
    assert rows["store in use"]["value"] == os.environ["NEEDS_TRACKER_DB"]
    assert rows["NEEDS_TRACKER_MAX_FILE_MB"] == {"setting": "NEEDS_TRACKER_MAX_FILE_MB", "value": "25",
                                                 "source": "default"}
    password = rows["NEEDS_TRACKER_EDITOR_PASSWORD_HASH"]
    assert password["value"] == "set (hidden)"
    assert password["source"] == f"{tmp_path / '.streamlit' / 'secrets.toml'} (editor_passwords)"
    assert "secret-value" not in captured.out
    assert "NEEDS_TRACKER_TYPO is not a needs-tracker setting" in captured.err


def test_config_reports_every_bad_setting_and_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "abc")
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "maybe")
    assert main(["config"]) == 2
    captured = capsys.readouterr()
    assert "NEEDS_TRACKER_MAX_FILE_MB" in captured.out and "INVALID" in captured.out
    assert [line.split("=")[0] for line in captured.err.splitlines()] == [
        "needs-tracker: NEEDS_TRACKER_LOCK_WAIT", "needs-tracker: NEEDS_TRACKER_CHARTS"]


def test_the_default_store_is_the_checkout_s_or_a_per_user_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("NEEDS_TRACKER_DB")
    assert config.db_location() == str(ROOT / "data" / "needs.duckdb")
    monkeypatch.setattr(config, "checkout_dir", lambda: None)  # as when installed from a wheel
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert config.db_location() == str(tmp_path / "needs-tracker" / "needs.duckdb")
    assert config.resolve("NEEDS_TRACKER_DB").source == "default (per-user data folder)"
    assert config.db_location("elsewhere.duckdb") == "elsewhere.duckdb"


def test_packaged_files_are_found_inside_the_package():
    package = Path(config.__file__).parent
    for name in config.RULE_FILES:
        assert config.rule_file(name) == package / "data" / name
    assert sorted(p.name for p in config.bundled_notes_dir().iterdir()) == [
        "000_da8e46648e842381.txt", "001_b9b8f864bdafcab5.txt"]
    assert config.world_map_file().stat().st_size > 100_000


def test_an_officer_s_rules_folder_replaces_the_packaged_file_and_reprocess_applies_it(store, tmp_path, capsys):
    rules = tmp_path / "rules"
    assert main(["config", "--write-rules", str(rules)]) == 0
    assert sorted(p.name for p in rules.iterdir()) == sorted(config.RULE_FILES)
    assert main(["config", "--write-rules", str(rules)]) == 2  # never over the officer's edits
    # The officer adds an exclusion that almost every sentence meets.
    text = (rules / "need_rules.toml").read_text(encoding="utf-8")
    (rules / "need_rules.toml").write_text(text.replace("[exclude]\n", '[exclude]\nofficer = ["the"]\n', 1),
                                           encoding="utf-8")
    (rules / "taxonomy.toml").unlink()  # a file left out keeps the packaged one
    env = dict(os.environ, NEEDS_TRACKER_RULES_DIR=str(rules))
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)["needs"]
    done = subprocess.run([sys.executable, "-m", "needs_tracker.cli", "reprocess"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert main(["stats", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)["needs"]
    assert before == 18 and after < 9


def test_the_rule_file_follows_the_setting(monkeypatch, tmp_path):
    (tmp_path / "taxonomy.toml").write_text("x = 1\n")
    monkeypatch.setenv("NEEDS_TRACKER_RULES_DIR", str(tmp_path))
    assert config.rule_file("taxonomy.toml") == tmp_path.resolve() / "taxonomy.toml"
    assert config.rule_file("need_rules.toml") == config.packaged_rule_file("need_rules.toml")
    monkeypatch.setenv("NEEDS_TRACKER_RULES_DIR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(config.SettingError, match="NEEDS_TRACKER_RULES_DIR="):
        config.rule_file("taxonomy.toml")


def test_the_packaged_app_gets_the_checkout_s_streamlit_options():
    checkout = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flat = {f"{section}.{key}": value for section, options in checkout.items() for key, value in options.items()}
    as_flags = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in flat.items()}
    assert {k: serve.STREAMLIT_OPTIONS.get(k) for k in as_flags} == as_flags
    assert "--server.fileWatcherType=none" in serve.command()  # a served app does not watch its sources
    assert serve.app_script().is_file()
    assert (serve.app_script().parent / "static" / "world_110m.json").is_file()


def test_dashboard_command_line_and_its_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("NEEDS_TRACKER_MAX_FILE_MB", "7.5")
    args, env = serve.prepare(db=str(tmp_path / "x.duckdb"), host="127.0.0.1", port=8999)
    # Streamlit's own `streamlit run`, started through the warm-up (ui.warm_start, tests/test_warm_start.py)
    assert args[:4] == [sys.executable, "-m", "needs_tracker.ui.warm_start", "run"]
    assert {"--server.port=8999", "--server.address=127.0.0.1", "--server.maxUploadSize=8",
            "--server.enableStaticServing=true"} <= set(args)
    assert env["NEEDS_TRACKER_DB"] == str(tmp_path / "x.duckdb")
    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "soon")
    with pytest.raises(config.SettingError, match="NEEDS_TRACKER_LOCK_WAIT='soon'"):
        serve.prepare()
    assert os.environ["NEEDS_TRACKER_LOCK_WAIT"] == "soon"  # the caller's environment is left as it was
