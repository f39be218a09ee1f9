"""Cloud access for resource plugins: one openstacksdk connection per (project, region).

Connections are built once per worker process from a keystoneauth1 session and reused by
every activity; the SDK is synchronous, so calls run in threads. keystoneauth retries refused
connections and 5xx answers a few times; what still fails is raised for Temporal to retry
with backoff, while 4xx answers become ResourceFailure (never retried) in Heat's words.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import openstack
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from openstack import exceptions as sdk_exceptions
from openstack.config import OpenStackConfig

from activities.identity import TrustSessions
from activities.resources.base import ResourceFailure
from activities.types import ResourceActionRequest
from service.cloud_settings import CloudSettings
from service.settings import get_settings

T = TypeVar("T")

# The status codes keystoneauth retries itself (with its own short backoff) before raising.
_RETRIED_STATUS_CODES = [500, 502, 503, 504]
# The exception names Heat shows for the HTTP errors of its clients (novaclient & co.).
_ERROR_KINDS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "OverLimit",
}

# The SDK blocks; its calls get their own threads, more than asyncio's default pool (CPUs + 4),
# so a wave of resources polling the cloud is not queued behind a handful of threads.
_EXECUTOR = ThreadPoolExecutor(max_workers=64, thread_name_prefix="cloud")
_lock = threading.Lock()
_connections: dict[tuple[str, str | None, str], openstack.connection.Connection] = {}


class CloudNotConfigured(ResourceFailure):
    """Neither a clouds.yaml name nor Keystone credentials are set."""


_trusts: TrustSessions | None = None


def use_trusts(trusts: TrustSessions) -> None:
    """The worker's trust sessions: requests that carry a trust act through it."""
    global _trusts
    _trusts = trusts


def keystone_session(request: ResourceActionRequest, settings: CloudSettings) -> ks_session.Session:
    """The Keystone session a request acts with.

    The stack's trust, when it has one (keystone auth): the service user acting for the
    stack's owner, so a deployment in its third hour still acts for its project. Otherwise
    (noauth) the worker's own credentials from clouds.yaml or the settings.
    """
    if request.trust_id and _trusts is not None:
        return _trusts.session(request.trust_id)
    if settings.name:
        region = OpenStackConfig().get_one(cloud=settings.name, region_name=settings.region_name)
        session: ks_session.Session = region.get_session()
        session.timeout = settings.timeout
        return session
    if settings.auth_url and settings.username and settings.project_name:
        auth = v3.Password(
            auth_url=settings.auth_url,
            username=settings.username,
            password=settings.password.get_secret_value() if settings.password else "",
            user_domain_name=settings.user_domain_name,
            project_name=settings.project_name,
            project_domain_name=settings.project_domain_name,
        )
        return ks_session.Session(auth=auth, timeout=settings.timeout)
    raise CloudNotConfigured(
        "No cloud is configured: set HEAT_TEMPORAL_CLOUD__NAME (a cloud of clouds.yaml) or "
        "HEAT_TEMPORAL_CLOUD__AUTH_URL with a user and project"
    )


def connection_for(request: ResourceActionRequest) -> openstack.connection.Connection:
    """The worker's connection for the request's project and region, made on first use."""
    settings = get_settings().cloud
    key = (request.project_id, settings.region_name, request.trust_id)
    with _lock:
        connection = _connections.get(key)
        if connection is None:
            connection = openstack.connection.Connection(
                session=keystone_session(request, settings),
                region_name=settings.region_name,
                interface=settings.interface,
                connect_retries=settings.connect_retries,
                status_code_retries=settings.status_code_retries,
                retriable_status_codes=_RETRIED_STATUS_CODES,
            )
            _connections[key] = connection
        return connection


async def call(
    request: ResourceActionRequest, work: Callable[[openstack.connection.Connection], T]
) -> T:
    """Run blocking SDK work in a thread, with the cloud's errors classified."""

    def run() -> T:
        try:
            return work(connection_for(request))
        except sdk_exceptions.HttpException as error:
            raise classify(error) from error
        except ks_exceptions.http.HttpError as error:
            raise classify_status(error.http_status, error.message) from error

    return await asyncio.get_running_loop().run_in_executor(_EXECUTOR, run)


class CloudUnavailable(Exception):
    """A failure worth retrying: the cloud is down, busy, or the resource is in use."""


def classify(error: sdk_exceptions.HttpException) -> Exception:
    return classify_status(error.status_code, error_text(error))


def classify_status(status: int | None, text: str) -> Exception:
    """ResourceFailure for what the user must fix, CloudUnavailable for what may pass."""
    if status is None or status >= 500 or status == 429:
        return CloudUnavailable(f"{text} (HTTP {status})")
    if status == 409 and "in use" in text.lower():
        return CloudUnavailable(f"{text} (HTTP {status})")
    kind = _ERROR_KINDS.get(status, "ClientException")
    if status in (403, 413) and "quota" in text.lower():
        kind = "OverQuota" if status == 403 else "OverLimit"
    return ResourceFailure(f"{text} (HTTP {status})", kind)


def error_text(error: sdk_exceptions.HttpException) -> str:
    """The cloud's own message for the error (the SDK adds the URL, which Heat does not)."""
    details = error.details
    if details:
        return str(details).strip()
    return str(error.message)


def is_not_found(error: BaseException) -> bool:
    cause = error.__cause__ if isinstance(error, ResourceFailure) else error
    return isinstance(cause, sdk_exceptions.NotFoundException)
