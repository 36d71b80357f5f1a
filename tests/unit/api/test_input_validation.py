"""Input validation: oversized, malformed or unexpected input is refused before it does harm."""

from __future__ import annotations

import pytest

from tests.unit.api.helpers import PASSWORD, assert_problem, register

pytestmark = pytest.mark.security


@pytest.mark.parametrize(
    "username",
    ["ab", "a" * 33, "has space", "semi;colon", "<script>"],
    ids=["too-short", "too-long", "space", "semicolon", "markup"],
)
def test_rejects_usernames_breaking_the_rules(client, username):
    """Usernames outside 3-32 characters of [a-z0-9_.-] -> 422."""
    response = client.post("/v1/auth/register", json={"username": username, "password": "long enough"})
    assert_problem(response, 422, "validation-failed")


def test_rejects_oversized_password_before_hashing(client):
    """A megabyte password is refused by validation, never handed to argon2."""
    response = client.post("/v1/auth/register", json={"username": "alice", "password": "p" * 1_000_000})
    assert_problem(response, 422, "validation-failed")


def test_rejects_unknown_fields(client):
    """Unexpected JSON fields (e.g. trying to set `disabled` or `id`) -> 422."""
    response = client.post(
        "/v1/auth/register", json={"username": "alice", "password": "long enough", "id": 1}
    )
    assert_problem(response, 422, "validation-failed")


def test_usernames_differing_only_in_case_are_one_account(client):
    """`Alice` cannot be registered next to `alice` as a look-alike account."""
    register(client, "alice")
    response = client.post("/v1/auth/register", json={"username": "ALICE", "password": "long enough"})
    assert_problem(response, 409, "username-taken")


def test_rejects_empty_note_title(client, alice):
    """A note needs a non-empty title."""
    assert_problem(client.post("/v1/notes", json={"title": ""}, headers=alice), 422, "validation-failed")


def test_rejects_oversized_note_body(client, alice):
    """A note body over 10,000 characters -> 422, nothing stored."""
    response = client.post("/v1/notes", json={"title": "t", "body": "x" * 10_001}, headers=alice)
    assert_problem(response, 422, "validation-failed")
    assert client.get("/v1/notes", headers=alice).json()["items"] == []


def test_rejects_patch_trying_to_change_owner(client, alice):
    """PATCH cannot smuggle in fields such as owner_id."""
    note = client.post("/v1/notes", json={"title": "t"}, headers=alice).json()
    response = client.patch(f"/v1/notes/{note['id']}", json={"owner_id": 2}, headers=alice)
    assert_problem(response, 422, "validation-failed")


@pytest.mark.parametrize("note_id", ["0", "-1"])
def test_rejects_non_positive_note_ids(client, alice, note_id):
    """Note ids start at 1; zero and negative ids -> 422."""
    assert_problem(client.get(f"/v1/notes/{note_id}", headers=alice), 422, "validation-failed")


def test_notes_are_stored_verbatim_not_interpreted(client, alice):
    """SQL-looking input is stored as text (parameterised queries), not executed."""
    title = "x'); DROP TABLE api_notes; --"
    note = client.post("/v1/notes", json={"title": title}, headers=alice).json()
    assert client.get(f"/v1/notes/{note['id']}", headers=alice).json()["title"] == title
    assert client.get("/readyz").status_code == 200


def test_token_endpoint_rejects_wrong_grant_type(client):
    """The password grant accepts only grant_type=password."""
    register(client, "alice")
    response = client.post(
        "/v1/auth/token",
        data={"username": "alice", "password": PASSWORD, "grant_type": "client_credentials"},
    )
    assert_problem(response, 422, "validation-failed")
