"""Interaction responses: the initial callback, followups and edits of the response messages.

Rules enforced: the initial response within the ack deadline (3 s), only once, with a type
allowed for the interaction; followups and edits only after it and within the token lifetime
(15 min); message, modal and autocomplete limits.
"""

from __future__ import annotations

from aiohttp import web

from .app_context import fake_of, json_response, no_content, snowflake_param
from .errors import (
    ALREADY_ACKNOWLEDGED,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DiscordHTTPError,
    bad_value,
    invalid_form_body,
)
from .interaction_payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
)
from .interaction_record import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from .message_bodies import apply_edit, new_message
from .modal_rules import autocomplete_problems, modal_problems
from .models import EPHEMERAL_FLAG, LOADING_FLAG, FakeMessage, Json
from .request_body import RequestBody, read_body

ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    },
}


def add_interaction_routes(app: web.Application, api: str) -> None:
    """Register the interaction callback and the interaction webhook routes under ``api``."""
    app.router.add_post(f"{api}/interactions/{{interaction_id}}/{{token}}/callback", callback)
    app.router.add_post(f"{api}/webhooks/{{application_id}}/{{token}}", create_followup)
    message = f"{api}/webhooks/{{application_id}}/{{token}}/messages/{{message_id}}"
    app.router.add_get(message, get_webhook_message)
    app.router.add_patch(message, edit_webhook_message)
    app.router.add_delete(message, delete_webhook_message)


async def callback(request: web.Request) -> web.Response:
    """``POST /interactions/{id}/{token}/callback``: the initial response."""
    fake = fake_of(request)
    record = fake.interactions.get(snowflake_param(request, "interaction_id"))
    if record is None or record.token != request.match_info["token"]:
        raise DiscordHTTPError(
            404, UNKNOWN_INTERACTION, "Unknown interaction", detail="no such interaction id/token"
        )
    if record.ack_type is not None:
        raise DiscordHTTPError(
            400,
            ALREADY_ACKNOWLEDGED,
            "Interaction has already been acknowledged.",
            detail=f"interaction {record.id} was answered with type {record.ack_type} before",
        )
    delay = record.age_s()
    if delay > fake.ack_deadline_s:
        raise DiscordHTTPError(
            404,
            UNKNOWN_INTERACTION,
            "Unknown interaction",
            detail=f"initial response {delay:.2f}s after dispatch; the "
            f"deadline is {fake.ack_deadline_s:.2f}s",
        )
    body = await read_body(request)
    payload = body.object()
    kind = payload.get("type")
    data: Json = payload.get("data") or {}
    if kind not in ALLOWED_CALLBACKS[record.type]:
        raise invalid_form_body(
            [
                bad_value(
                    ("type",),
                    f"Callback type {kind} is not allowed for interaction type {record.type}.",
                )
            ]
        )
    _apply_callback(record, int(kind), body, data, request)
    record.ack_type = int(kind)
    record.ack_delay_s = delay
    fake.signal.changed()
    if request.query.get("with_response") not in ("1", "true", "True"):
        return no_content()
    return json_response(_callback_response(record))


def _apply_callback(
    record: InteractionRecord, kind: int, body: RequestBody, data: Json, request: web.Request
) -> None:
    fake = fake_of(request)
    if kind == MODAL:
        problems = modal_problems(data)
        if problems:
            raise invalid_form_body(problems)
        record.modal = data
    elif kind == AUTOCOMPLETE_RESULT:
        problems = autocomplete_problems(data)
        if problems:
            raise invalid_form_body(problems)
        record.autocomplete_choices = list(data.get("choices") or [])
    elif kind == CHANNEL_MESSAGE:
        record.original = _response_message(record, body, data, request)
        fake.store_message(record.original)
    elif kind == DEFERRED_CHANNEL_MESSAGE:
        flags = LOADING_FLAG | (int(data.get("flags") or 0) & EPHEMERAL_FLAG)
        record.original = _loading_message(record, request, flags)
        fake.store_message(record.original)
    elif kind == UPDATE_MESSAGE:
        target = _source_message(record)
        apply_edit(fake, target, body, data, prefix=("data",))
        fake.announce_edit(target)
        record.original = target
    else:
        record.original = _source_message(record)


def _source_message(record: InteractionRecord) -> FakeMessage:
    if record.source_message is None:
        raise invalid_form_body([bad_value(("type",), "This interaction has no message.")])
    return record.source_message


def _interaction_metadata(record: InteractionRecord) -> Json:
    return {
        "id": str(record.id),
        "type": record.type,
        "user": record.user.payload(),
        "authorizing_integration_owners": record.payload.get("authorizing_integration_owners"),
    }


def _response_message(
    record: InteractionRecord, body: RequestBody, data: Json, request: web.Request
) -> FakeMessage:
    fake = fake_of(request)
    return new_message(
        fake,
        body,
        data,
        channel=record.channel,
        author=fake.bot_user,
        prefix=("data",),
        type=record.response_message_type,
        webhook_id=fake.application.id,
        interaction_metadata=_interaction_metadata(record),
    )


def _loading_message(record: InteractionRecord, request: web.Request, flags: int) -> FakeMessage:
    fake = fake_of(request)
    return FakeMessage(
        fake.ids.next(),
        record.channel.id,
        record.channel.guild_id,
        fake.bot_user,
        flags=flags,
        type=record.response_message_type,
        webhook_id=fake.application.id,
        interaction_metadata=_interaction_metadata(record),
    )


def _callback_response(record: InteractionRecord) -> Json:
    interaction: Json = {"id": str(record.id), "type": record.type}
    resource: Json = {"type": record.ack_type}
    if record.original is not None:
        interaction.update(
            response_message_id=str(record.original.id),
            response_message_loading=record.original.loading,
            response_message_ephemeral=record.original.ephemeral,
        )
        resource["message"] = record.original.payload()
    return {"interaction": interaction, "resource": resource}


def _record_for_webhook(
    request: web.Request, *, missing_code: int, missing: str
) -> InteractionRecord:
    fake = fake_of(request)
    token = request.match_info["token"]
    record = fake.interactions_by_token.get(token)
    if record is None or snowflake_param(request, "application_id") != fake.application.id:
        raise DiscordHTTPError(
            404,
            UNKNOWN_WEBHOOK,
            "Unknown Webhook",
            detail="no interaction has this application id/token",
        )
    if record.age_s() > fake.token_lifetime_s:
        raise DiscordHTTPError(
            401,
            INVALID_WEBHOOK_TOKEN,
            "Invalid Webhook Token",
            detail=f"the interaction token expired after {fake.token_lifetime_s:g}s",
        )
    if record.ack_type is None:
        raise DiscordHTTPError(
            404, missing_code, missing, detail="used before the interaction was acknowledged"
        )
    return record


async def create_followup(request: web.Request) -> web.Response:
    """``POST /webhooks/{application_id}/{token}``: a followup message."""
    fake = fake_of(request)
    record = _record_for_webhook(request, missing_code=UNKNOWN_WEBHOOK, missing="Unknown Webhook")
    body = await read_body(request)
    data = body.object()
    original = record.original
    if record.ack_type == DEFERRED_CHANNEL_MESSAGE and original is not None and original.loading:
        apply_edit(fake, original, body, data)
        original.flags &= ~LOADING_FLAG
        fake.announce_edit(original)
        message = original
    else:
        message = new_message(
            fake,
            body,
            data,
            channel=record.channel,
            author=fake.bot_user,
            type=record.response_message_type,
            webhook_id=fake.application.id,
        )
        fake.store_message(message)
    record.followups.append(message)
    fake.signal.changed()
    if request.query.get("wait") in ("1", "true", "True"):
        return json_response(message.payload())
    return no_content()


def _webhook_message(request: web.Request, record: InteractionRecord) -> FakeMessage:
    wanted = request.match_info["message_id"]
    candidates = [record.original, *record.followups]
    if wanted == "@original":
        message = None if record.original_deleted else record.original
    else:
        message = next((m for m in candidates if m is not None and str(m.id) == wanted), None)
    if message is None:
        raise DiscordHTTPError(
            404,
            UNKNOWN_MESSAGE,
            "Unknown Message",
            detail=f"interaction {record.id} has no message {wanted}",
        )
    return message


async def get_webhook_message(request: web.Request) -> web.Response:
    """``GET /webhooks/{application_id}/{token}/messages/{id|@original}``."""
    record = _record_for_webhook(request, missing_code=UNKNOWN_MESSAGE, missing="Unknown Message")
    return json_response(_webhook_message(request, record).payload())


async def edit_webhook_message(request: web.Request) -> web.Response:
    """``PATCH /webhooks/{application_id}/{token}/messages/{id|@original}``."""
    fake = fake_of(request)
    record = _record_for_webhook(request, missing_code=UNKNOWN_MESSAGE, missing="Unknown Message")
    message = _webhook_message(request, record)
    body = await read_body(request)
    apply_edit(fake, message, body, body.object())
    message.flags &= ~LOADING_FLAG
    record.edits_after_ack += 1
    fake.announce_edit(message)
    fake.signal.changed()
    return json_response(message.payload())


async def delete_webhook_message(request: web.Request) -> web.Response:
    """``DELETE /webhooks/{application_id}/{token}/messages/{id|@original}``."""
    fake = fake_of(request)
    record = _record_for_webhook(request, missing_code=UNKNOWN_MESSAGE, missing="Unknown Message")
    message = _webhook_message(request, record)
    if message is record.original:
        record.original_deleted = True
    fake.delete_message(message)
    return no_content()
