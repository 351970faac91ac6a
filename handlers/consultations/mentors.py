"""A leader assigns mentors to the association's young specialists."""

from __future__ import annotations

from telegram import Update

from bot.buttons import Settled
from bot.context import BotContext
from bot.keyboards import inline
from bot.replies import ack, show
from handlers.consultations.buttons import BUTTONS, Home, Mentors, PickMentee, PickMentor
from services import consultations as service
from services.names import short_name


@BUTTONS.on(Mentors)
async def mentors(update: Update, context: BotContext, press: Mentors) -> None:
    t = context.t
    people = await service.young_specialists(context.session, context.actor, press.association_id)
    await ack(update)
    rows = [
        [
            (
                t.plain("{name} — mentor: {mentor}", name=p.name, mentor=p.mentor)
                if p.mentor
                else t.plain("{name} — no mentor", name=p.name),
                PickMentee(press.association_id, p.user_id).data(),
            )
        ]
        for p in people[:40]
    ]
    rows.append([(t.plain("⬅️ Consultations"), Home().data())])
    text = (
        t.gettext(
            "🤝 <b>Mentors of young specialists</b> (less than 3 years of experience). "
            "Their questions go to their mentor first. Choose a young specialist:"
        )
        if people
        else t.gettext(
            "🤝 The association has no young specialists (less than 3 years of experience)."
        )
    )
    await show(update, context, text, inline(rows))


@BUTTONS.on(PickMentee)
async def pick_mentee(update: Update, context: BotContext, press: PickMentee) -> None:
    t = context.t
    people = await service.mentor_candidates(
        context.session, context.actor, press.association_id, press.mentee_id
    )
    await ack(update)
    rows = [
        [(p.name, PickMentor(press.association_id, press.mentee_id, p.user_id).data())]
        for p in people[:40]
    ]
    rows.append([(t.plain("⬅️ Back"), Mentors(press.association_id).data())])
    await show(update, context, t.gettext("Who will be the mentor?"), inline(rows))


@BUTTONS.on(PickMentor)
async def pick_mentor(update: Update, context: BotContext, press: PickMentor) -> Settled:
    mentee, mentor = await service.assign_mentor(
        context.session,
        context.actor,
        association_id=press.association_id,
        mentee_id=press.mentee_id,
        mentor_id=press.mentor_id,
    )
    await ack(update)
    return Settled(
        context.t.gettext(
            "✅ Mentor assigned: {mentor} for {mentee}. Both are notified.",
            mentor=short_name(mentor.full_name),
            mentee=short_name(mentee.full_name),
        )
    )
