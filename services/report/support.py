"""Section 8: consultations, tasks and the surveys' response rates."""

from __future__ import annotations

from statistics import median

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.consultations import Consultation
from models.surveys import Survey, SurveyInvitation
from models.tasks import AssignmentStatus, Task, TaskAssignment
from services.activity import Period
from services.report.data import Support
from services.report.meetings import aware


async def support(session: AsyncSession, association_id: int, period: Period) -> Support:
    """Three statements: the consultations asked, the tasks set, the surveys closed."""
    start, end = period.bounds()
    asked = (
        await session.execute(
            select(Consultation.created_at, Consultation.answered_at, Consultation.rating).where(
                Consultation.association_id == association_id,
                Consultation.parent_id.is_(None),
                Consultation.created_at >= start,
                Consultation.created_at < end,
            )
        )
    ).all()
    tasks = (
        await session.execute(
            select(Task.id, TaskAssignment.status)
            .outerjoin(TaskAssignment, TaskAssignment.task_id == Task.id)
            .where(Task.association_id == association_id, Task.created_at >= start)
            .where(Task.created_at < end)
        )
    ).all()
    invited = (
        await session.execute(
            select(Survey.id, SurveyInvitation.answered)
            .outerjoin(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
            .where(Survey.association_id == association_id, Survey.closes_at >= start)
            .where(Survey.closes_at < end)
        )
    ).all()
    waits = sorted(
        (aware(answered) - aware(created)).total_seconds() / 3600
        for created, answered, _ in asked
        if answered is not None
    )
    ratings = [rating for _, _, rating in asked if rating]
    statuses = [status for _, status in tasks if status is not None]
    done = (AssignmentStatus.SUBMITTED, AssignmentStatus.ACCEPTED)
    return Support(
        questions=len(asked),
        answered=len(waits),
        median_hours=median(waits) if waits else None,
        ratings=len(ratings),
        average_rating=sum(ratings) / len(ratings) if ratings else None,
        tasks=len({task for task, _ in tasks}),
        assignments=len(statuses),
        handed_in=sum(1 for status in statuses if status in done),
        accepted=sum(1 for status in statuses if status == AssignmentStatus.ACCEPTED),
        surveys=len({survey for survey, _ in invited}),
        invited=sum(1 for _, answered in invited if answered is not None),
        responded=sum(1 for _, answered in invited if answered),
    )
