"""Project-wide checks: migrations are complete, the deploy checklist passes in production mode."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when one is missing


def _run_tremplin(args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "tremplin.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _run_tremplin(["check"], {"DEBUG": "false", "ALLOWED_HOSTS": "tremplin.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    from django.conf import settings

    result = _run_tremplin(
        ["check"], {"DEBUG": "false", "SECRET_KEY": settings.INSECURE_DEV_KEY, "ALLOWED_HOSTS": "x.org"}
    )
    assert result.returncode != 0


def test_check_deploy_passes_in_production_mode():
    result = _run_tremplin(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "false", "SECRET_KEY": "k3J9x" * 12, "ALLOWED_HOSTS": "tremplin.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
