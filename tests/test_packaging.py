"""What a deployment gets: the installed package carries its data, and the Docker image
installs dependencies in a layer of their own and hands SIGTERM to the bot."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_package_carries_the_matcher_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["bot"]
    data = ROOT / "bot" / "search" / "data"
    for path in data.iterdir():
        relative = path.relative_to(ROOT / "bot").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_dockerfile_installs_dependencies_before_copying_the_code() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    install_dependencies = next(i for i, line in enumerate(lines) if "requirements.txt" in line)
    copy_code = next(i for i, line in enumerate(lines) if line.startswith("COPY bot"))
    copied_before = [line for line in lines[:install_dependencies] if line.startswith("COPY")]
    assert install_dependencies < copy_code
    assert copied_before == ["COPY pyproject.toml ./"]  # only the metadata


def test_the_image_starts_the_bot_in_exec_form() -> None:
    cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )
    assert json.loads(cmd.removeprefix("CMD").strip())[:3] == ["python", "-m", "bot"]


def test_the_image_checks_its_health_with_the_bot_itself() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "bot", "health"]' in text.split("HEALTHCHECK", 1)[1]


def test_compose_runs_the_bot_with_its_volume_and_live_knowledge() -> None:
    import yaml

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    service = compose["services"]["faqbot"]
    assert service["build"] == "." and service["env_file"] == ".env"
    assert "faqbot-data:/app/data" in service["volumes"]
    assert any(v.startswith("./knowledge:/app/knowledge") for v in service["volumes"])
    assert "faqbot-data" in compose["volumes"]
    assert set(compose) <= {"services", "volumes", "networks", "configs", "secrets", "name"}
