"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter

from apps.api import problem_types as types
from apps.api.deps import ServicesDep
from apps.api.problems import ProblemError, problem_responses
from apps.api.schemas import Status

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Status)
def healthz() -> Status:
    """The process is up (no dependency is checked, so a slow database never restarts it)."""
    return Status(status="ok")


@router.get("/readyz", response_model=Status, responses=problem_responses(types.SERVICE_UNAVAILABLE))
def readyz(services: ServicesDep) -> Status:
    """The database answers for both accounts and notes; 503 otherwise."""
    if not (services.auth.ping() and services.notes.ping()):
        raise ProblemError(types.SERVICE_UNAVAILABLE, "The database does not answer; retry later.")
    return Status(status="ready")
