"""The bot itself: getMe, updates and webhooks, commands, menu button, files."""

from __future__ import annotations

import json
from typing import Any

from .errors import bad_request
from .registry import Context, Params, handles
from .updates import Webhook


@handles("getMe")
def get_me(ctx: Context, p: Params) -> dict[str, Any]:
    return {
        **ctx.world.bot.to_dict(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@handles("logOut", "close")
def log_out(ctx: Context, p: Params) -> bool:
    return True


@handles("getUpdates")
async def get_updates(ctx: Context, p: Params) -> list[dict[str, Any]]:
    return await ctx.updates.get(
        p.get("offset"), p.get("limit"), p.get("timeout"), p.get("allowed_updates")
    )


@handles("setWebhook")
def set_webhook(ctx: Context, p: Params) -> bool:
    url = p.get("url") or ""
    if not url:
        return delete_webhook(ctx, p)
    if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if p.get("drop_pending_updates"):
        ctx.updates.drop_pending()
    if p.get("allowed_updates") is not None:
        ctx.updates.allowed_updates = p["allowed_updates"]
    ctx.updates.set_webhook(Webhook(url, p.get("secret_token"), p.get("max_connections")))
    return True


@handles("deleteWebhook")
def delete_webhook(ctx: Context, p: Params) -> bool:
    if p.get("drop_pending_updates"):
        ctx.updates.drop_pending()
    ctx.updates.set_webhook(None)
    return True


@handles("getWebhookInfo")
def get_webhook_info(ctx: Context, p: Params) -> dict[str, Any]:
    webhook = ctx.updates.webhook
    info: dict[str, Any] = {
        "url": webhook.url if webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(ctx.updates.pending),
    }
    if webhook and webhook.max_connections:
        info["max_connections"] = webhook.max_connections
    if ctx.updates.allowed_updates:
        info["allowed_updates"] = ctx.updates.allowed_updates
    return info


# --- commands and menu button -----------------------------------------------------------
def _commands_key(p: Params) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get("language_code") or ""


@handles("setMyCommands")
def set_my_commands(ctx: Context, p: Params) -> bool:
    commands = p.get("commands") or []
    if len(commands) > 100:
        raise bad_request("too many commands")
    for command in commands:
        name = command.get("command", "")
        if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    ctx.commands[_commands_key(p)] = commands
    return True


@handles("getMyCommands")
def get_my_commands(ctx: Context, p: Params) -> list[dict[str, Any]]:
    return ctx.commands.get(_commands_key(p), [])


@handles("deleteMyCommands")
def delete_my_commands(ctx: Context, p: Params) -> bool:
    ctx.commands.pop(_commands_key(p), None)
    return True


@handles("setChatMenuButton")
def set_chat_menu_button(ctx: Context, p: Params) -> bool:
    button = p.get("menu_button") or {"type": "default"}
    if "chat_id" in p:
        ctx.world.chat(p["chat_id"]).menu_button = button
    else:
        ctx.default_menu_button = button
    return True


@handles("getChatMenuButton")
def get_chat_menu_button(ctx: Context, p: Params) -> dict[str, Any]:
    if "chat_id" in p:
        button = ctx.world.chat(p["chat_id"]).menu_button
        if button and button.get("type") != "default":
            return button
    return ctx.default_menu_button


# --- files ------------------------------------------------------------------------------
# Bots may download files up to this size (a local Bot API server lifts it).
DOWNLOAD_LIMIT = 20 * 1024 * 1024


@handles("getFile")
def get_file(ctx: Context, p: Params) -> dict[str, Any]:
    stored = ctx.world.files.get(p.get("file_id"))
    if stored.size > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return {**stored.to_dict(with_name=False), "file_path": stored.file_path}
