"""No secret reaches a sink: end-to-end checks through configure() and real sinks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from logging_lib import RotatingFileSink, Sink, StreamSink, bind, configure, get_logger
from logging_lib.http_sink import HttpCollectorSink

from .support import Collector, json_lines

pytestmark = pytest.mark.security

SECRET = "hunter2-Zq9"


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    """A real log file, configured as the only sink at DEBUG."""
    path = tmp_path / "app.log"
    configure("DEBUG", [RotatingFileSink(path)])
    return path


def test_password_field_never_reaches_the_file(log_file: Path) -> None:
    """A password passed as a field is masked before it is written."""
    get_logger("tests.sec").info("login", username="ada", password=SECRET)
    text = log_file.read_text()
    assert SECRET not in text
    assert json_lines(log_file)[0]["password"] == "[REDACTED]"


def test_secret_in_bound_context_is_masked(log_file: Path) -> None:
    """Bound fields are redacted like per-call fields."""
    with bind(api_key=SECRET):
        get_logger("tests.sec").info("call")
    assert SECRET not in log_file.read_text()


def test_secret_in_stdlib_extra_is_masked(log_file: Path) -> None:
    """`extra=` fields of plain stdlib calls are redacted too."""
    import logging

    logging.getLogger("thirdparty").info("auth", extra={"Authorization": f"Basic {SECRET}"})
    assert SECRET not in log_file.read_text()


def test_bearer_token_in_the_message_is_masked(log_file: Path) -> None:
    """A bearer token inside the message text itself is masked."""
    get_logger("tests.sec").warning(f"rejected header Bearer {SECRET}")
    assert json_lines(log_file)[0]["message"] == "rejected header Bearer [REDACTED]"


def test_bearer_token_in_an_exception_is_masked(log_file: Path) -> None:
    """Exception text in the traceback field is masked as well."""
    try:
        raise PermissionError(f"upstream refused Bearer {SECRET}")
    except PermissionError:
        get_logger("tests.sec").exception("call failed")
    assert SECRET not in log_file.read_text()


def test_configured_redact_keys_mask_custom_fields(tmp_path: Path) -> None:
    """configure(redact_keys=...) masks the extra keys in addition to the defaults."""
    path = tmp_path / "app.log"
    configure("INFO", [RotatingFileSink(path)], redact_keys=("ssn",))
    get_logger("tests.sec").info("record", customer_ssn=SECRET, token=SECRET, name="ada")
    line = json_lines(path)[0]
    assert (line["customer_ssn"], line["token"], line["name"]) == ("[REDACTED]", "[REDACTED]", "ada")


def test_a_newline_in_the_message_cannot_forge_a_second_line(log_file: Path) -> None:
    """Attacker-controlled text with a newline and fake JSON stays inside one line."""
    forged = 'bob\n{"level": "CRITICAL", "message": "forged"}'
    get_logger("tests.sec").info("login attempt", username=forged)
    lines = json_lines(log_file)
    assert len(lines) == 1
    assert lines[0]["username"] == forged


def test_failure_report_masks_secrets_in_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An error text that quotes a token is masked in the stderr report."""

    class LeakySink(Sink):
        name = "leaky"

        def write(self, line: str) -> None:
            raise OSError(f"proxy refused Authorization: Bearer {SECRET}")

    configure("INFO", [LeakySink()])
    get_logger("tests.sec").info("x")
    err = capsys.readouterr().err
    assert "sink leaky failed" in err
    assert SECRET not in err


def test_http_sink_ships_only_redacted_lines(make_http_sink) -> None:
    """What goes to the collector has passed redaction like every other sink."""
    collector = Collector()
    sink = make_http_sink(send=collector)
    configure("INFO", [sink])
    get_logger("tests.sec").info("login", password=SECRET)
    assert sink.flush(timeout=10)
    assert SECRET not in b"".join(collector.bodies).decode()
    assert collector.lines and '"password": "[REDACTED]"' in collector.lines[0]


def test_http_sink_name_hides_credentials_and_query(make_http_sink) -> None:
    """URL credentials and query strings stay out of the sink name shown on stderr."""
    sink = make_http_sink(
        url=f"https://user:{SECRET}@logs.example:8443/in?api_key={SECRET}", send=Collector()
    )
    assert sink.name == "http:https://logs.example:8443/in"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://logs.example/in",
        "logs.example/in",
        "http:///no-host",
    ],
)
def test_http_sink_refuses_anything_but_http_urls(url: str) -> None:
    """Only http(s) URLs with a host are accepted: urllib would happily read files."""
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpCollectorSink(url)


def test_stream_sink_refuses_a_non_stream() -> None:
    """StreamSink checks for write() up front instead of failing on the first line."""
    with pytest.raises(TypeError, match="needs a text stream"):
        StreamSink("/var/log/app.log")  # type: ignore[arg-type]


def test_redaction_happens_before_any_sink_sees_the_line() -> None:
    """A sink receives the already-masked line: no sink can opt out of redaction."""
    seen: list[str] = []

    class RecordingSink(Sink):
        name = "recording"

        def write(self, line: str) -> None:
            seen.append(line)

    configure("INFO", [RecordingSink(), StreamSink(io.StringIO())])
    get_logger("tests.sec").info("x", refresh_token=SECRET)
    assert seen and all(SECRET not in line for line in seen)
