"""Temporal's remote codec protocol (/codec/encode, /codec/decode) with CORS for the Temporal UI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from api.errors import bad_request
from service.codec import CodecError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CODEC = web.AppKey("codec", PayloadCodec)
_ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization, X-Auth-Token"


def cors_middleware(origins: list[str]) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Lets the Temporal UI (a browser page on another origin) call the codec endpoints."""
    allowed = set(origins)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        origin = request.headers.get("Origin", "")
        if request.path.startswith("/codec/") and origin in allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = _ALLOWED_HEADERS
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"
        return response

    return middleware


async def _payloads(request: web.Request) -> Payloads:
    try:
        return json_format.Parse(await request.read(), Payloads())
    except (json_format.ParseError, ValueError) as error:  # ValueError: not UTF-8
        raise bad_request(f"Invalid payloads: {error}") from error


def _answer(payloads: list[object]) -> web.Response:
    body = json_format.MessageToJson(Payloads(payloads=payloads))  # type: ignore[arg-type]
    return web.Response(text=body, content_type="application/json")


async def encode(request: web.Request) -> web.Response:
    payloads = await _payloads(request)
    return _answer(list(await request.app[CODEC].encode(payloads.payloads)))


async def decode(request: web.Request) -> web.Response:
    payloads = await _payloads(request)
    try:
        return _answer(list(await request.app[CODEC].decode(payloads.payloads)))
    except CodecError as error:
        raise bad_request(str(error), type(error).__name__) from error


async def preflight(_request: web.Request) -> web.Response:
    return web.Response(status=200)


def add_codec_routes(app: web.Application, codec: PayloadCodec, origins: list[str]) -> None:
    app[CODEC] = codec
    app.router.add_post("/codec/encode", encode)
    app.router.add_post("/codec/decode", decode)
    app.router.add_route("OPTIONS", "/codec/{operation:(encode|decode)}", preflight)
    # Outside the error middleware, so errors (401, 403) reach the browser page too.
    app.middlewares.insert(1, cors_middleware(origins))
