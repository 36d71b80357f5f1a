"""Failure handling over time and under contention: throttle windows, refresh expiry,
and refresh-token rotation when the same token arrives twice at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from apps.auth_service import (
    AccountLocked,
    AuthService,
    AuthSettings,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    TokenPair,
    TokenReused,
    User,
    UsernameTaken,
)
from tests.clock import FakeClock

from .support import PASSWORD

pytestmark = pytest.mark.reliability


def _fail(service: AuthService, times: int, username: str = "alice") -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            service.authenticate(username, "wrong password")


def _race(workers: int, action: Callable[[], object]) -> list[object]:
    """Run `action` in `workers` threads released together; return results or exceptions."""
    barrier = threading.Barrier(workers)

    def run() -> object:
        barrier.wait()
        try:
            return action()
        except Exception as exc:  # collected and asserted on by the caller
            return exc

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda _: run(), range(workers)))


def test_failures_slide_out_of_the_window(service: AuthService, user: User, clock: FakeClock) -> None:
    """Failures older than the 15-minute window no longer count towards a lock."""
    _fail(service, 4)
    clock.advance(900)  # the four failures are now exactly one window old
    _fail(service, 1)
    assert service.authenticate("alice", PASSWORD).username == "alice"


def test_failures_spread_inside_the_window_lock(service: AuthService, user: User, clock: FakeClock) -> None:
    """Five failures spread over just under 15 minutes still lock the account."""
    for _ in range(5):
        _fail(service, 1)
        clock.advance(224)  # 4 x 224 s = 896 s between first and fifth failure
    with pytest.raises(AccountLocked):
        service.authenticate("alice", PASSWORD)


def test_window_slides_rather_than_resetting(service: AuthService, user: User, clock: FakeClock) -> None:
    """Only the failures inside the last window count: the oldest drop out one by one."""
    _fail(service, 2)
    clock.advance(600)
    _fail(service, 2)
    clock.advance(301)  # the first two are out, the last two still in
    _fail(service, 2)
    assert service.authenticate("alice", PASSWORD).id == user.id
    _fail(service, 4)
    clock.advance(1)
    _fail(service, 1)
    with pytest.raises(AccountLocked):
        service.authenticate("alice", PASSWORD)


def test_retry_after_counts_down_with_the_clock(service: AuthService, user: User, clock: FakeClock) -> None:
    """`retry_after` reports the whole seconds left, rounded up."""
    _fail(service, 5)
    clock.advance(300.5)
    with pytest.raises(AccountLocked) as locked:
        service.authenticate("alice", PASSWORD)
    assert locked.value.retry_after == 600


def test_success_resets_the_failure_count(service: AuthService, user: User) -> None:
    """A successful login forgets earlier failures."""
    _fail(service, 4)
    service.authenticate("alice", PASSWORD)
    _fail(service, 4)
    assert service.authenticate("alice", PASSWORD).username == "alice"


def test_expired_lock_gives_a_fresh_set_of_attempts(
    service: AuthService, user: User, clock: FakeClock
) -> None:
    """After a lock ends, one more failure does not lock the account again."""
    _fail(service, 5)
    clock.advance(900)
    _fail(service, 1)
    assert service.authenticate("alice", PASSWORD).username == "alice"


def test_throttle_limits_come_from_settings(db_path: str, clock: FakeClock) -> None:
    """`max_failed_logins` and `lockout_seconds` are honoured when configured."""
    settings = AuthSettings(db_path=db_path, hash_profile="test", max_failed_logins=2, lockout_seconds=60)
    service = AuthService(settings, clock=clock)
    service.register("alice", PASSWORD)
    _fail(service, 2)
    with pytest.raises(AccountLocked) as locked:
        service.authenticate("alice", PASSWORD)
    assert locked.value.retry_after == 60
    clock.advance(60)
    assert service.authenticate("alice", PASSWORD).username == "alice"


def test_lockout_survives_a_service_restart(
    service: AuthService, user: User, settings, keyring, clock
) -> None:
    """Lock state lives in the database, so a new service instance still enforces it."""
    _fail(service, 5)
    restarted = AuthService(settings, keyring=keyring, clock=clock)
    with pytest.raises(AccountLocked):
        restarted.authenticate("alice", PASSWORD)


def test_refresh_token_expires_by_the_clock(service: AuthService, user: User, clock: FakeClock) -> None:
    """A refresh token works until `refresh_ttl_seconds` and is rejected from then on."""
    pair = service.login("alice", PASSWORD)
    clock.advance(service.settings.refresh_ttl_seconds)
    with pytest.raises(InvalidToken, match="expired"):
        service.refresh(pair.refresh_token)


def test_refresh_token_valid_just_before_expiry(service: AuthService, user: User, clock: FakeClock) -> None:
    """One second before its expiry a refresh token still rotates."""
    pair = service.login("alice", PASSWORD)
    clock.advance(service.settings.refresh_ttl_seconds - 1)
    assert isinstance(service.refresh(pair.refresh_token), TokenPair)


def test_refresh_chain_rotates_repeatedly(service: AuthService, user: User, clock: FakeClock) -> None:
    """Each rotated token can be used exactly once, over a long chain."""
    pair = service.login("alice", PASSWORD)
    seen = {pair.refresh_token}
    for _ in range(10):
        clock.advance(60)
        pair = service.refresh(pair.refresh_token)
        seen.add(pair.refresh_token)
    assert len(seen) == 11
    assert service.verify_access_token(pair.access_token).iat == int(clock())


def test_reuse_revokes_only_its_own_family(service: AuthService, user: User) -> None:
    """Reuse in one session leaves the user's other sessions (other logins) working."""
    laptop = service.login("alice", PASSWORD)
    phone = service.login("alice", PASSWORD)
    service.refresh(laptop.refresh_token)
    with pytest.raises(TokenReused):
        service.refresh(laptop.refresh_token)
    assert isinstance(service.refresh(phone.refresh_token), TokenPair)


def test_repeated_reuse_keeps_raising_token_reused(service: AuthService, user: User) -> None:
    """Replaying a rotated token again after its family was revoked is still reported as reuse."""
    pair = service.login("alice", PASSWORD)
    service.refresh(pair.refresh_token)
    for _ in range(2):
        with pytest.raises(TokenReused):
            service.refresh(pair.refresh_token)


def test_concurrent_refresh_of_one_token_has_one_winner(service: AuthService, user: User) -> None:
    """Eight simultaneous refreshes of one token: one rotation, seven reuses, family revoked."""
    pair = service.login("alice", PASSWORD)
    results = _race(8, lambda: service.refresh(pair.refresh_token))
    winners = [r for r in results if isinstance(r, TokenPair)]
    assert len(winners) == 1
    assert all(isinstance(r, TokenReused) for r in results if r is not winners[0])
    with pytest.raises(InvalidToken):
        service.refresh(winners[0].refresh_token)


def test_concurrent_registration_of_one_name_has_one_winner(service: AuthService) -> None:
    """Six simultaneous registrations of one name: exactly one account, five `UsernameTaken`."""
    results = _race(6, lambda: service.register("alice", PASSWORD))
    assert sum(isinstance(r, User) for r in results) == 1
    assert sum(isinstance(r, UsernameTaken) for r in results) == 5


def test_concurrent_logins_of_different_users_all_succeed(service: AuthService) -> None:
    """Parallel logins on one service instance do not interfere."""
    for index in range(6):
        service.register(f"user{index}", PASSWORD)
    counter = iter(range(6))
    lock = threading.Lock()

    def login() -> TokenPair:
        with lock:
            index = next(counter)
        return service.login(f"user{index}", PASSWORD)

    results = _race(6, login)
    names = sorted(service.verify_access_token(r.access_token).username for r in results)  # type: ignore[union-attr]
    assert names == [f"user{i}" for i in range(6)]


def test_disable_unknown_user_is_an_actionable_error(service: AuthService) -> None:
    """Disabling a name that does not exist says so instead of silently succeeding."""
    with pytest.raises(InvalidInput, match="no user named 'ghost'"):
        service.disable("ghost")


def test_issue_tokens_for_a_stale_user_object_fails(service: AuthService, user: User) -> None:
    """`issue_tokens` re-checks the account, so a forged or stale `User` gets nothing."""
    with pytest.raises(InvalidInput):
        service.issue_tokens(User(id=99, username="ghost", created_at=user.created_at, disabled=False))
