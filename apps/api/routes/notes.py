"""Notes over HTTP, each visible only to its owner.

Storage is apps/api/notes.py. Another user's note answers exactly like a
missing one (404, same body), so ids reveal nothing about other accounts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from apps.api import problem_types as types
from apps.api.deps import CurrentUser, ServicesDep
from apps.api.notes import Note
from apps.api.problems import ProblemError, problem_responses
from apps.api.schemas import NoteCreate, NoteList, NoteOut, NoteUpdate

router = APIRouter(prefix="/v1/notes", tags=["notes"])
_UNAUTHENTICATED = (types.AUTHENTICATION_REQUIRED, types.INVALID_TOKEN, types.VALIDATION_FAILED)
_ONE_NOTE = (*_UNAUTHENTICATED, types.NOT_FOUND)
# SQLite integers are signed 64-bit; a larger id must be a 422, not an OverflowError.
NoteId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _out(note: Note) -> NoteOut:
    return NoteOut(
        id=note.id,
        title=note.title,
        body=note.body,
        created_at=note.created_at,
        updated_at=note.updated_at,
    )


def _not_found(note_id: int) -> ProblemError:
    return ProblemError(types.NOT_FOUND, f"You have no note with id {note_id}.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NoteOut,
    responses=problem_responses(*_UNAUTHENTICATED),
)
def create_note(body: NoteCreate, user: CurrentUser, services: ServicesDep) -> NoteOut:
    """Store a note owned by the caller."""
    return _out(services.notes.create(user.id, body.title, body.body))


@router.get("", response_model=NoteList, responses=problem_responses(*_UNAUTHENTICATED))
def list_notes(user: CurrentUser, services: ServicesDep) -> NoteList:
    """The caller's notes, oldest first; never anyone else's."""
    return NoteList(items=[_out(note) for note in services.notes.list_owned(user.id)])


@router.get("/{note_id}", response_model=NoteOut, responses=problem_responses(*_ONE_NOTE))
def get_note(note_id: NoteId, user: CurrentUser, services: ServicesDep) -> NoteOut:
    """One of the caller's notes."""
    note = services.notes.get(user.id, note_id)
    if note is None:
        raise _not_found(note_id)
    return _out(note)


@router.patch("/{note_id}", response_model=NoteOut, responses=problem_responses(*_ONE_NOTE))
def update_note(note_id: NoteId, body: NoteUpdate, user: CurrentUser, services: ServicesDep) -> NoteOut:
    """Change the title and/or body of one of the caller's notes."""
    note = services.notes.update(user.id, note_id, title=body.title, body=body.body)
    if note is None:
        raise _not_found(note_id)
    return _out(note)


@router.delete(
    "/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*_ONE_NOTE),
)
def delete_note(note_id: NoteId, user: CurrentUser, services: ServicesDep) -> Response:
    """Delete one of the caller's notes."""
    if not services.notes.delete(user.id, note_id):
        raise _not_found(note_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
