"""The OpenAPI document: every documented path and method, bearer auth, problem responses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from apps.api import Settings, create_app

pytestmark = pytest.mark.architecture

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
EXPECTED_OPERATIONS = {
    "/healthz": {"get"},
    "/readyz": {"get"},
    "/v1/auth/register": {"post"},
    "/v1/auth/token": {"post"},
    "/v1/auth/refresh": {"post"},
    "/v1/me": {"get"},
    "/v1/notes": {"get", "post"},
    "/v1/notes/{note_id}": {"get", "patch", "delete"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The served OpenAPI document; built once per module, as generating it is the slow part."""
    db_file = tmp_path_factory.mktemp("openapi") / "app.db"
    with TestClient(create_app(Settings(env="test", db_path=str(db_file)))) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_lists_exactly_the_documented_paths_and_methods(schema):
    """The schema has every documented endpoint, and no others."""
    assert {path: set(ops) for path, ops in schema["paths"].items()} == EXPECTED_OPERATIONS


def test_token_endpoint_takes_a_form(schema):
    """POST /v1/auth/token is an OAuth2 password grant: form-encoded username and password."""
    body = schema["paths"]["/v1/auth/token"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in body


def test_declares_the_oauth2_bearer_scheme(schema):
    """The security scheme points clients at the token endpoint."""
    schemes = schema["components"]["securitySchemes"]
    flows = [s["flows"]["password"]["tokenUrl"] for s in schemes.values() if s["type"] == "oauth2"]
    assert flows == ["/v1/auth/token"]


@pytest.mark.parametrize(
    ("path", "method"),
    [("/v1/me", "get"), ("/v1/notes", "get"), ("/v1/notes", "post"), ("/v1/notes/{note_id}", "delete")],
)
def test_protected_operations_require_bearer_auth(schema, path, method):
    """Operations that need a token declare the security requirement."""
    assert schema["paths"][path][method].get("security")


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/v1/auth/register", "post", "409"),
        ("/v1/auth/register", "post", "422"),
        ("/v1/auth/token", "post", "401"),
        ("/v1/auth/token", "post", "429"),
        ("/v1/auth/refresh", "post", "401"),
        ("/v1/notes/{note_id}", "get", "404"),
        ("/readyz", "get", "503"),
    ],
)
def test_error_responses_are_documented_as_problems(schema, path, method, status):
    """Documented errors are application/problem+json bodies of the Problem schema."""
    content = schema["paths"][path][method]["responses"][status]["content"]
    assert content == {"application/problem+json": {"schema": PROBLEM_REF}}


def test_problem_schema_is_published(schema):
    """The Problem schema the error responses refer to is in the components."""
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance"} <= set(problem["required"])
