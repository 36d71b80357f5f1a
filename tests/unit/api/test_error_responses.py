"""Error responses are RFC 9457 problems, including the unexpected ones, and never a traceback."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from tests.unit.api.helpers import PROBLEM_JSON, assert_problem, log_records

pytestmark = pytest.mark.reliability

SECRET_IN_MESSAGE = "hunter2-in-an-exception-message"


@pytest.fixture
def failing_client(app):
    """A client for an app with one extra route that raises an unexpected error."""

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(f"password={SECRET_IN_MESSAGE}")

    @app.get("/stream")
    def stream() -> StreamingResponse:
        def chunks():
            yield b"first chunk"
            raise RuntimeError(f"mid-stream {SECRET_IN_MESSAGE}")

        return StreamingResponse(chunks())

    @app.get("/teapot")
    def teapot() -> None:
        raise HTTPException(status_code=418, detail=f"echoing {SECRET_IN_MESSAGE}")

    with TestClient(app) as client:
        yield client


def test_unknown_path_is_404_problem(client):
    """An unknown path -> 404 application/problem+json with the path as instance."""
    body = assert_problem(client.get("/v1/nothing-here"), 404, "not-found")
    assert body["instance"] == "/v1/nothing-here"


def test_wrong_method_is_405_problem_with_allow(client):
    """A known path with the wrong method -> 405 problem listing the allowed methods."""
    response = client.put("/healthz")
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["Allow"] == "GET"


def test_unexpected_exception_is_generic_500_problem(failing_client):
    """An exception in a route -> 500 problem with a generic detail."""
    body = assert_problem(failing_client.get("/boom"), 500, "internal-error")
    assert "request_id" in body["detail"]


def test_500_response_has_no_traceback_or_exception_message(failing_client):
    """The 500 body shows neither a traceback nor the exception's text."""
    text = failing_client.get("/boom").text
    assert "Traceback" not in text and "RuntimeError" not in text and SECRET_IN_MESSAGE not in text


def test_500_is_logged_with_type_and_location_only(failing_client, log_output):
    """The log names the exception type and where it happened, without message or traceback."""
    response = failing_client.get("/boom")
    (record,) = [r for r in log_records(log_output) if r["message"] == "unhandled exception"]
    assert record["error_type"] == "RuntimeError"
    assert "in boom" in record["where"]
    assert record["request_id"] == response.headers["X-Request-ID"]
    output = log_output.getvalue()
    assert SECRET_IN_MESSAGE not in output and "Traceback" not in output


def test_500_response_still_gets_request_id_and_security_headers(failing_client):
    """The last-resort 500 passes through the same header middleware as any response."""
    response = failing_client.get("/boom", headers={"X-Request-ID": "req-500"})
    assert response.headers["X-Request-ID"] == "req-500"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_500_is_access_logged(failing_client, log_output):
    """A failing request still gets its access-log line, with status 500."""
    failing_client.get("/boom")
    statuses = [r["status"] for r in log_records(log_output) if r["logger"] == "apps.api.access"]
    assert statuses == [500]


def test_malformed_json_is_422_problem(client):
    """A body that is not JSON -> 422 problem saying so."""
    response = client.post(
        "/v1/auth/register", content=b'{"username": ', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 422, "validation-failed")
    assert body["detail"] == "The request body is not valid JSON."


def test_validation_problem_lists_each_failing_field(client):
    """A 422 names each field that failed, with loc, msg and type."""
    response = client.post("/v1/auth/register", json={})
    body = assert_problem(response, 422, "validation-failed")
    assert sorted(tuple(e["loc"]) for e in body["errors"]) == [("body", "password"), ("body", "username")]
    assert all(set(error) == {"loc", "msg", "type"} for error in body["errors"])


def test_missing_form_fields_on_token_is_422_problem(client):
    """POST /v1/auth/token without the form fields -> 422 problem, not a crash."""
    assert_problem(client.post("/v1/auth/token", data={}), 422, "validation-failed")


def test_non_integer_note_id_is_422_problem(client, alice):
    """GET /v1/notes/abc -> 422 problem."""
    assert_problem(client.get("/v1/notes/abc", headers=alice), 422, "validation-failed")


def test_note_id_beyond_sqlite_range_is_422_not_500(client, alice):
    """An id larger than a 64-bit integer is a validation error, not an overflow crash."""
    assert_problem(client.get(f"/v1/notes/{2**64}", headers=alice), 422, "validation-failed")


def test_problem_content_type_is_problem_json(client):
    """Problems are served as application/problem+json, not application/json."""
    assert client.get("/nope").headers["content-type"] == PROBLEM_JSON


def test_unmapped_http_error_is_about_blank_problem(failing_client):
    """An HTTP status outside the catalogue becomes an about:blank problem with the status phrase."""
    response = failing_client.get("/teapot")
    body = response.json()
    assert (response.status_code, body["type"], body["title"]) == (418, "about:blank", "I'm a Teapot")
    assert SECRET_IN_MESSAGE not in response.text


def test_unreadable_form_body_is_400_problem(client):
    """A multipart body that cannot be parsed -> 400 problem, not a crash."""
    response = client.post(
        "/v1/auth/token", content=b"garbage", headers={"Content-Type": "multipart/form-data"}
    )
    assert_problem(response, 400, "bad-request")


def test_body_of_wrong_shape_names_the_body(client):
    """A JSON body that is not an object -> 422 whose detail points at the body."""
    body = assert_problem(client.post("/v1/auth/register", json=["alice"]), 422, "validation-failed")
    assert body["detail"] == "Invalid request: check body."


def test_failure_after_response_started_is_logged_and_propagated(failing_client, log_output):
    """A failure mid-stream cannot become a problem; it is logged (safely) and re-raised."""
    with pytest.raises(RuntimeError):
        failing_client.get("/stream")
    messages = [r["message"] for r in log_records(log_output)]
    assert "exception after response started" in messages
    assert SECRET_IN_MESSAGE not in log_output.getvalue()
