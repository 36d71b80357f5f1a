"""One user can never see, change or delete another user's notes, nor learn that they exist."""

from __future__ import annotations

import pytest

from tests.unit.api.helpers import assert_problem

pytestmark = pytest.mark.security


@pytest.fixture
def alices_note(client, alice) -> dict:
    response = client.post("/v1/notes", json={"title": "diary", "body": "private"}, headers=alice)
    assert response.status_code == 201
    return response.json()


def without_request_id(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "request_id"}


def test_other_users_note_is_404_on_get(client, alices_note, bob):
    """GET of another user's note -> 404."""
    assert_problem(client.get(f"/v1/notes/{alices_note['id']}", headers=bob), 404, "not-found")


def test_other_users_note_is_404_on_patch_and_unchanged(client, alice, alices_note, bob):
    """PATCH of another user's note -> 404, and the note keeps its content."""
    response = client.patch(f"/v1/notes/{alices_note['id']}", json={"body": "pwned"}, headers=bob)
    assert_problem(response, 404, "not-found")
    assert client.get(f"/v1/notes/{alices_note['id']}", headers=alice).json()["body"] == "private"


def test_other_users_note_is_404_on_delete_and_kept(client, alice, alices_note, bob):
    """DELETE of another user's note -> 404, and the note still exists."""
    assert_problem(client.delete(f"/v1/notes/{alices_note['id']}", headers=bob), 404, "not-found")
    assert client.get(f"/v1/notes/{alices_note['id']}", headers=alice).status_code == 200


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_foreign_note_is_indistinguishable_from_missing_one(client, alices_note, bob, method):
    """Another user's note answers exactly like an id that does not exist (no existence leak)."""
    foreign_id, missing_id = alices_note["id"], alices_note["id"] + 1000
    kwargs = {"json": {"title": "x"}} if method == "patch" else {}
    foreign = getattr(client, method)(f"/v1/notes/{foreign_id}", headers=bob, **kwargs)
    missing = getattr(client, method)(f"/v1/notes/{missing_id}", headers=bob, **kwargs)
    assert foreign.status_code == missing.status_code == 404
    expected = without_request_id(missing.json())
    expected["detail"] = expected["detail"].replace(str(missing_id), str(foreign_id))
    expected["instance"] = expected["instance"].replace(str(missing_id), str(foreign_id))
    assert without_request_id(foreign.json()) == expected


def test_list_shows_only_the_callers_notes(client, alices_note, bob):
    """GET /v1/notes for another user does not include the first user's notes."""
    client.post("/v1/notes", json={"title": "bob's"}, headers=bob)
    titles = [note["title"] for note in client.get("/v1/notes", headers=bob).json()["items"]]
    assert titles == ["bob's"]


def test_me_reports_the_token_owner(client, alice, bob):
    """/v1/me follows the token, so each user sees only their own account."""
    assert client.get("/v1/me", headers=alice).json()["username"] == "alice"
    assert client.get("/v1/me", headers=bob).json()["username"] == "bob"
