"""Each endpoint answers with the status and body shape the API documents.

Rejections and attacks are in the security modules, failure handling in the
reliability modules; this module pins the happy paths and the plain error codes.
"""

from __future__ import annotations

import pytest

from tests.unit.api.helpers import assert_problem, bearer, login, register

pytestmark = pytest.mark.architecture


def test_healthz_answers_ok(client):
    """GET /healthz -> 200."""
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_answers_ready_when_database_answers(client):
    """GET /readyz -> 200 while the database answers."""
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_register_returns_201_with_the_user(client):
    """POST /v1/auth/register -> 201 with id, username and creation time."""
    response = client.post("/v1/auth/register", json={"username": "alice", "password": "s3cret-enough"})
    assert response.status_code == 201
    assert response.json() == {"id": 1, "username": "alice", "created_at": "2025-06-15T15:06:40Z"}


def test_register_taken_name_is_409(client):
    """Registering an existing username -> 409 problem."""
    register(client, "alice")
    response = client.post("/v1/auth/register", json={"username": "alice", "password": "another-one"})
    assert_problem(response, 409, "username-taken")


def test_register_invalid_input_is_422(client):
    """A username breaking the auth rules -> 422 problem saying what is wrong."""
    response = client.post("/v1/auth/register", json={"username": "a!", "password": "long enough"})
    body = assert_problem(response, 422, "validation-failed")
    assert "username" in body["detail"]


def test_token_returns_the_oauth2_token_response(client):
    """POST /v1/auth/token -> 200 with access_token, refresh_token, token_type, expires_in."""
    register(client, "alice")
    body = login(client, "alice")
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 900


def test_token_bad_credentials_is_401(client):
    """A wrong password -> 401 problem with a Bearer challenge."""
    register(client, "alice")
    response = client.post("/v1/auth/token", data={"username": "alice", "password": "wrong password"})
    assert_problem(response, 401, "invalid-credentials")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_refresh_returns_a_new_pair(client, tokens):
    """POST /v1/auth/refresh -> a new pair whose tokens differ from the old ones."""
    response = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["token_type"] == "bearer"
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert client.get("/v1/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_me_returns_the_caller(client, alice):
    """GET /v1/me with a bearer token -> the caller's username."""
    response = client.get("/v1/me", headers=alice)
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_me_without_token_is_401(client):
    """GET /v1/me without a token -> 401 problem."""
    assert_problem(client.get("/v1/me"), 401, "authentication-required")


def test_create_note_returns_201_with_id(client, alice):
    """POST /v1/notes -> 201 with the stored note and its id."""
    response = client.post("/v1/notes", json={"title": "groceries", "body": "milk"}, headers=alice)
    assert response.status_code == 201
    note = response.json()
    assert isinstance(note["id"], int)
    assert (note["title"], note["body"]) == ("groceries", "milk")


def test_list_notes_returns_the_callers_notes_oldest_first(client, alice):
    """GET /v1/notes -> the caller's notes in creation order."""
    for title in ("first", "second"):
        client.post("/v1/notes", json={"title": title, "body": ""}, headers=alice)
    response = client.get("/v1/notes", headers=alice)
    assert response.status_code == 200
    assert [note["title"] for note in response.json()["items"]] == ["first", "second"]


def test_get_note_returns_it(client, alice):
    """GET /v1/notes/{id} -> the note."""
    note = client.post("/v1/notes", json={"title": "t", "body": "b"}, headers=alice).json()
    response = client.get(f"/v1/notes/{note['id']}", headers=alice)
    assert (response.status_code, response.json()) == (200, note)


def test_patch_note_changes_only_given_fields(client, alice, clock):
    """PATCH /v1/notes/{id} updates the given fields and the update time."""
    note = client.post("/v1/notes", json={"title": "t", "body": "b"}, headers=alice).json()
    clock.advance(60)
    response = client.patch(f"/v1/notes/{note['id']}", json={"body": "new"}, headers=alice)
    assert response.status_code == 200
    updated = response.json()
    assert (updated["title"], updated["body"]) == ("t", "new")
    assert updated["updated_at"] > updated["created_at"] == note["created_at"]


def test_delete_note_returns_204_and_removes_it(client, alice):
    """DELETE /v1/notes/{id} -> 204, then the note is gone (404)."""
    note = client.post("/v1/notes", json={"title": "t", "body": "b"}, headers=alice).json()
    response = client.delete(f"/v1/notes/{note['id']}", headers=alice)
    assert (response.status_code, response.content) == (204, b"")
    assert_problem(client.get(f"/v1/notes/{note['id']}", headers=alice), 404, "not-found")


def test_missing_note_is_404(client, alice):
    """GET /v1/notes/{id} for an id that never existed -> 404 problem."""
    assert_problem(client.get("/v1/notes/999", headers=alice), 404, "not-found")


def test_timestamps_come_from_the_injected_clock(client, alice):
    """Note timestamps are UTC ISO-8601 from the app's clock."""
    note = client.post("/v1/notes", json={"title": "t"}, headers=alice).json()
    assert note["created_at"] == note["updated_at"] == "2025-06-15T15:06:40Z"


def test_empty_patch_leaves_note_unchanged(client, alice, clock):
    """PATCH with no fields returns the note as it was, update time included."""
    note = client.post("/v1/notes", json={"title": "t", "body": "b"}, headers=alice).json()
    clock.advance(60)
    response = client.patch(f"/v1/notes/{note['id']}", json={}, headers=alice)
    assert (response.status_code, response.json()) == (200, note)
