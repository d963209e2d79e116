"""`config`, `doctor` and the data directory: bad settings end in one line in our words, the
file keeps only what was set in it, and a failed write leaves nothing behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli_env, one_line_error, run_cli

from mobile_agent.config import write_file_values
from mobile_agent.errors import ConfigError


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data directory of its own for each test."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def read_only_dir(home: Path) -> Iterator[Path]:
    """A directory nobody can create files in: `home` made read-only, or, for root (who
    writes anywhere), sysfs, where even root cannot create files."""
    home.chmod(0o555)
    try:
        if not _can_create_in(home):
            yield home
        elif Path("/sys").is_dir() and not _can_create_in(Path("/sys")):
            yield Path("/sys")
        else:
            pytest.skip("no directory here is read-only for this user")
    finally:
        home.chmod(0o755)


def _can_create_in(directory: Path) -> bool:
    probe = directory / ".mobile-agent-probe"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink()
    return True


def env_for(home: Path, **changes: str | None) -> dict[str, str]:
    return cli_env(MOBILE_AGENT_HOME=str(home), **changes)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != "config.toml")


def test_environment_overrides_never_reach_the_file(home: Path) -> None:
    env = env_for(home, MOBILE_AGENT_MAX_STEPS="3", MOBILE_AGENT_OCR="none")
    done = run_cli("config", "set", "model", "openai:gpt-4o", env=env)
    assert done.returncode == 0, done.stderr
    assert (home / "config.toml").read_text() == 'model = "openai:gpt-4o"\n'
    done = run_cli("config", "set", "max_steps", "12", env=env)
    assert "MOBILE_AGENT_MAX_STEPS is set in the environment and overrides the file" in done.stdout
    assert (home / "config.toml").read_text() == 'model = "openai:gpt-4o"\nmax_steps = 12\n'
    shown = run_cli("config", "show", env=env).stdout
    assert "max_steps                  = 3 " in shown
    assert "(from MOBILE_AGENT_MAX_STEPS)" in shown


def test_the_file_is_private_whatever_the_umask(home: Path) -> None:
    done = run_cli(
        "config", "set", "device", "virtual", env=env_for(home), preexec_fn=lambda: os.umask(0)
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((home / "config.toml").stat().st_mode) == 0o600
    assert leftovers(home) == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("log_level", "LOUD", "'LOUD' is not a log level"),
        ("agent_images", '["bogus"]', "'bogus' is not an agent role"),
        ("agent_models", '{"operater": "openai:gpt-4o"}', "'operater' is not an agent role"),
        ("agent_models", '{"operator": "nonsense"}', "'nonsense' is not provider:model"),
        ("agent_models", "operator=openai:gpt-4o", "agent_models takes JSON"),
        ("model", "nonsense", "'nonsense' is not provider:model"),
        ("model", "acme:gpt-4o", "unknown model provider 'acme'"),
        ("base_url", "not a url", "does not start with http:// or https://"),
        ("base_url", "ftp://example.com/v1", "only http:// and https://"),
        ("base_url", "http://[::1", "an IPv6 address needs both [ and ]"),
        ("base_url", "http://\udcff", "bytes that are not valid UTF-8"),
        ("max_steps", "0", "max_steps: Input should be greater than or equal to 1"),
        ("max_wall_s", "nan", "max_wall_s: Input should be a finite number"),
    ],
)
def test_config_set_refuses_bad_values_in_our_words(
    home: Path, key: str, value: str, expected: str
) -> None:
    (home / "config.toml").write_text('device = "virtual"\n')
    done = run_cli("config", "set", key, value, env=env_for(home))
    assert done.returncode == 1
    error = one_line_error(done.stderr)
    assert error.startswith("error: ")
    assert expected in error
    assert "pydantic" not in error and "https://errors" not in error
    assert (home / "config.toml").read_text() == 'device = "virtual"\n'
    assert leftovers(home) == []


def test_bad_values_in_the_file_or_environment_say_where_they_are(home: Path) -> None:
    (home / "config.toml").write_text('log_level = "LOUD"\n')
    error = one_line_error(run_cli("config", "show", env=env_for(home)).stderr)
    assert f"invalid settings in {home / 'config.toml'}: log_level:" in error
    (home / "config.toml").write_text("")
    done = run_cli("config", "show", env=env_for(home, MOBILE_AGENT_AGENT_IMAGES='["x"]'))
    error = one_line_error(done.stderr)
    assert "the environment (MOBILE_AGENT_AGENT_IMAGES): agent_images:" in error


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(home: Path) -> None:
    path = home / "config.toml"
    path.write_text('device = "virtual"\n')
    with pytest.raises(ConfigError, match="cannot write"):
        write_file_values({"model": "\udcff"}, path)  # cannot be encoded: fails mid-write
    assert path.read_text() == 'device = "virtual"\n'
    assert leftovers(home) == []


def test_a_read_only_data_directory_is_one_clear_error(read_only_dir: Path) -> None:
    before = sorted(p.name for p in read_only_dir.iterdir())
    for command in (["config", "set", "device", "virtual"], ["demo"]):
        done = run_cli(*command, env=env_for(read_only_dir))
        assert done.returncode == 1, command
        assert "Traceback" not in done.stderr
        error = done.stderr.splitlines()[-1]
        assert error.startswith("error: cannot ")
        assert str(read_only_dir) in error
    assert sorted(p.name for p in read_only_dir.iterdir()) == before


@pytest.mark.parametrize("kind", ["a file", "under a file"])
def test_a_data_directory_that_cannot_be_one_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    home = blocker if kind == "a file" else blocker / "home"
    for command in (
        ["config", "show"],
        ["config", "set", "device", "virtual"],
        ["run", "Open Settings", "--model", "openai:gpt-4o"],
        ["demo"],
    ):
        done = run_cli(*command, env=env_for(home))
        assert done.returncode == 1, command
        error = one_line_error(done.stderr)
        assert f"the data directory {home}" in error
        assert "MOBILE_AGENT_HOME" in error
    assert blocker.read_text() == "not a directory"


def doctor_line(home: Path, name: str, **env: str | None) -> str:
    done = run_cli("doctor", env=env_for(home, **env))
    assert "Traceback" not in done.stderr
    return next(line for line in done.stdout.splitlines() if line[5:].startswith(name))


def test_doctor_reports_an_invalid_model_setting(home: Path) -> None:
    (home / "config.toml").write_text('model = "nonsense"\n')
    line = doctor_line(home, "model")
    assert line.startswith("[!!]")
    assert "'nonsense' is not provider:model" in line


def test_doctor_reports_a_missing_api_key(home: Path) -> None:
    (home / "config.toml").write_text('model = "openai:gpt-4o"\n')
    line = doctor_line(home, "model")
    assert line.startswith("[!!]")
    assert "No API key for openai" in line
    assert "OPENAI_API_KEY" in line
    line = doctor_line(home, "model", OPENAI_API_KEY="sk-doctor-test-0123456789")
    assert line.startswith("[ok]")
    assert "sk-doctor" not in line


def test_doctor_reports_an_openai_compatible_model_without_base_url(home: Path) -> None:
    (home / "config.toml").write_text('model = "openai-compatible:qwen"\n')
    line = doctor_line(home, "model")
    assert line.startswith("[!!]")
    assert "needs a base URL" in line


@pytest.mark.e2e
def test_the_log_level_setting_decides_what_reaches_stderr(home: Path) -> None:
    done = run_cli("config", "set", "log_level", "info", env=env_for(home))
    assert done.returncode == 0, done.stderr
    assert (home / "config.toml").read_text() == 'log_level = "INFO"\n'
    chatty = run_cli("demo", env=env_for(home))
    assert chatty.returncode == 0, chatty.stderr
    assert " INFO mobile_agent." in chatty.stderr
    quiet = run_cli("demo", env=env_for(home, MOBILE_AGENT_LOG_LEVEL="WARNING"))
    assert quiet.returncode == 0, quiet.stderr
    assert " INFO " not in quiet.stderr
