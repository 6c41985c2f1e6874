"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEV_SET, KNOWLEDGE_DIR, PROJECT_ROOT


def _bot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=PROJECT_ROOT,
        env=full_env,
        timeout=timeout,
    )


def test_ask_prints_the_answer_and_its_citation() -> None:
    result = _bot("ask", "how many canadian citizens died on flight PS752")
    assert result.returncode == 0, result.stderr
    assert "55" in result.stdout
    assert "Source: Iran Signals Thaw?" in result.stdout


def test_ask_json_prints_one_object_with_the_documented_fields() -> None:
    result = _bot("ask", "--json", "which prime minister cut ties with iran")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] is True and "Harper" in data["answer"]
    assert data["citations"] and set(data["citations"][0]) == {"source", "section", "quote"}
    assert set(data) == {
        "question",
        "answered",
        "outcome",
        "answer",
        "confidence",
        "entry_id",
        "more_entry_ids",
        "unanswered_parts",
        "opinion_parts",
        "citations",
        "suggestions",
        "sources",
    }


def test_ask_json_from_stdin_answers_each_line_in_order() -> None:
    questions = ["when were relations cut", "how to cook rice", "", "who said iran is ready"]
    result = _bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["question"] for row in rows] == questions
    assert rows[0]["answered"] and "2012" in rows[0]["answer"]
    assert not rows[1]["answered"] and rows[1]["answer"] is None
    assert rows[1]["outcome"] == "unknown"
    assert not rows[2]["answered"] and rows[2]["outcome"] == "empty"
    assert "Kanaani" in rows[3]["answer"]


def test_huge_and_odd_questions_never_crash() -> None:
    odd = ["x" * 100_000, "\u200b\u200b\u0007", "🙂🙂", "ایران و کانادا", "Où est l'ambassade ?"]
    result = _bot("ask", "--json", "-", stdin="\n".join(odd) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == len(odd)


@pytest.mark.parametrize("args", [["--bogus"], ["ask"], ["frobnicate"], ["ask", "--nope", "x"]])
def test_bad_arguments_get_usage_and_exit_2(args: list[str]) -> None:
    result = _bot(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_names_the_variable_and_exits_2() -> None:
    result = _bot("ask", "hi", env={"KNOWLEDGE_DEBOUNCE_MS": "soon"})
    assert result.returncode == 2
    assert "KNOWLEDGE_DEBOUNCE_MS" in result.stderr and "integer" in result.stderr


def test_broken_knowledge_at_start_is_reported_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("entries: [\n", encoding="utf-8")
    result = _bot("--knowledge", str(tmp_path), "ask", "anything")
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr and "Traceback" not in result.stderr


def test_ask_does_not_load_the_chat_platform_libraries() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "ask", "why did canada cut ties"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0
    for heavy in ("discord", "slack_bolt", "slack_sdk", "aiohttp"):
        assert f" {heavy}\n" not in result.stderr and f" {heavy}." not in result.stderr


def test_eval_prints_accuracy_and_misses(tmp_path: Path) -> None:
    questions = tmp_path / "set.jsonl"
    questions.write_text(
        '{"q": "when were relations cut", "expect": ["2012"]}\n'
        '{"q": "how to cook rice", "expect": null}\n'
        '{"q": "when were relations cut", "expect": ["1999"]}\n',
        encoding="utf-8",
    )
    result = _bot("eval", str(questions))
    assert result.returncode == 0, result.stderr
    assert "in-scope: 1/2" in result.stdout
    assert "out-of-scope: 1/1" in result.stdout
    assert "overall: 2/3" in result.stdout
    assert "MISS line 3" in result.stdout
    assert "did you mean: " in result.stdout
    assert _bot("eval", str(questions), "--min-overall", "0.9").returncode == 1


def test_eval_of_a_set_without_questions_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = _bot("eval", str(empty))
    assert result.returncode == 2
    assert "no questions" in result.stderr and "100" not in result.stdout


def test_knowledge_check_passes_on_the_shipped_knowledge() -> None:
    result = _bot("knowledge", "check")
    assert result.returncode == 0, result.stdout
    assert "no problems" in result.stdout


def test_chat_answers_and_shows_a_briefing(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    result = _bot(
        "chat",
        stdin="help\nwhen were relations cut\n+\nbriefing\nquit\n",
        env={"STORE_DATABASE": str(log)},
    )
    assert result.returncode == 0, result.stderr
    assert "briefing [ID]" in result.stdout
    assert "2012" in result.stdout
    assert "Source:" in result.stdout
    assert "Thanks, noted." in result.stdout  # the rating was stored
    assert log.exists()  # in the configured log, not the default one


@pytest.mark.skipif(not DEV_SET.exists(), reason="the development question set is not here")
def test_dev_set_accuracy_does_not_fall() -> None:
    result = _bot("eval", str(DEV_SET), "--min-overall", "0.95")
    assert result.returncode == 0, result.stdout
    assert "out-of-scope: 7/7" in result.stdout


def test_a_report_window_too_long_is_refused_with_a_message() -> None:
    result = _bot("report", "--days", "1000000")
    assert result.returncode == 2
    assert "whole number of days" in result.stderr and "Traceback" not in result.stderr


def test_ask_json_from_stdin_writes_valid_utf8_for_bytes_that_are_not() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=b"caf\xe9 \xff how many canadians died\nline\xe2\x80\xa8break\n",
        capture_output=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii:strict"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()  # valid UTF-8, one object a line
    assert len(lines) == 2
    assert "\ufffd" in json.loads(lines[0])["question"]
    assert "\\u2028" in lines[1] and json.loads(lines[1])["question"] == "line\u2028break"


def test_ask_json_stops_quietly_when_the_reader_goes_away() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"how many canadians died\n" * 2000)
    process.stdin.close()
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None and b"Traceback" not in process.stderr.read()


def test_the_readme_sample_is_what_the_bot_prints() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("you> ", 1)[1].split("```", 1)[0]
    question, _, shown = block.partition("\nbot> ")
    result = _bot("ask", question)
    assert result.returncode == 0
    assert result.stdout.rstrip("\n") == shown.rstrip("\n")


def test_a_one_shot_ask_does_not_offer_numbers_to_type() -> None:
    result = _bot("ask", "canada")
    assert result.returncode == 0
    assert "1." in result.stdout and "type a number" not in result.stdout


def test_every_command_explains_itself() -> None:
    for command in (["run"], ["chat"], ["eval"], ["knowledge", "check"], ["health"]):
        result = _bot(*command, "--help")
        assert result.returncode == 0 and len(result.stdout.splitlines()) > 2, command
    assert "JSON lines" in _bot("eval", "--help").stdout


def test_dev_py_help_is_not_an_error() -> None:
    result = subprocess.run(
        [sys.executable, "dev.py", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and "usage" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`knowledge check | head -1` on knowledge with many problems."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    for number in range(1500):
        (knowledge / f"broken{number}.yaml").write_text(
            f"entries:\n  - id: broken-{number}\n    question: q\n", encoding="utf-8"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "knowledge", "check", str(knowledge)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()  # the first problem; then the reader goes away
    process.stdout.close()
    process.wait(timeout=120)
    assert b"Traceback" not in process.stderr.read()
