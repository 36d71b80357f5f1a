"""The API's wiring into logging_lib: request ids on every line, one access line per request."""

from __future__ import annotations

import pytest

from tests.unit.api.helpers import access_lines, log_records, register

pytestmark = pytest.mark.architecture


def test_one_access_line_per_request(client, log_output):
    """Each request produces exactly one access-log line."""
    for path in ("/healthz", "/readyz", "/nope"):
        client.get(path)
    assert [line["path"] for line in access_lines(log_output)] == ["/healthz", "/readyz", "/nope"]


def test_access_line_has_method_path_status_duration_and_request_id(client, log_output):
    """The access line carries method, path, status, duration_ms and request_id."""
    response = client.post("/v1/auth/register", json={"username": "alice", "password": "long enough"})
    (line,) = access_lines(log_output)
    assert line["method"] == "POST"
    assert line["path"] == "/v1/auth/register"
    assert line["status"] == 201
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["level"] == "INFO" and line["time"].endswith("Z")


def test_access_line_records_error_statuses(client, log_output):
    """Failed requests are logged with their status too."""
    client.get("/v1/me")
    assert access_lines(log_output)[0]["status"] == 401


def test_request_id_is_bound_on_every_line_of_a_request(client, log_output):
    """Lines logged by the route and the auth service carry the request's id."""
    response = client.post(
        "/v1/auth/register",
        json={"username": "alice", "password": "long enough"},
        headers={"X-Request-ID": "trace-42"},
    )
    assert response.status_code == 201
    app_lines = [r for r in log_records(log_output) if r["logger"].startswith("apps.")]
    assert {r["logger"] for r in app_lines} >= {"apps.api.auth", "apps.api.access"}
    assert all(r.get("request_id") == "trace-42" for r in app_lines)


def test_request_id_binding_ends_with_the_request(client, log_output):
    """A request's id does not leak into the next request's lines."""
    client.get("/healthz", headers={"X-Request-ID": "first"})
    client.get("/healthz", headers={"X-Request-ID": "second"})
    assert [line["request_id"] for line in access_lines(log_output)] == ["first", "second"]


def test_problem_body_carries_the_request_id(client):
    """Error bodies carry the same request id as the response header, for support requests."""
    response = client.get("/nope")
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


def test_logins_are_logged_without_breaking_the_json_format(client, log_output):
    """Every line the API writes during a login is one JSON object."""
    register(client, "alice")
    client.post("/v1/auth/token", data={"username": "alice", "password": "wrong password"})
    records = log_records(log_output)
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
