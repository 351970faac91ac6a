"""The built-in questionnaires. Copied into a new survey, they can be edited there.

Texts are msgids (marked with N_): a copied question keeps them and is worded in each
reader's language; a question the author rewords becomes the author's own text.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.surveys import QuestionKind, SurveyTemplate
from services.texts import N_


@dataclass(frozen=True, slots=True)
class TemplateQuestion:
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True, slots=True)
class Template:
    title: str
    questions: tuple[TemplateQuestion, ...]


SINGLE, MULTI, SCALE, TEXT = (
    QuestionKind.SINGLE,
    QuestionKind.MULTI,
    QuestionKind.SCALE,
    QuestionKind.TEXT,
)

NEEDS = Template(
    N_("Diagnostics of teachers' professional needs"),
    (
        TemplateQuestion(
            MULTI,
            N_("Which parts of your work cause you difficulty?"),
            (
                N_("Planning lessons to the updated federal standards"),
                N_("Assessing pupils' results, formative assessment"),
                N_("Teaching pupils with special educational needs"),
                N_("Preparing pupils for the state exams"),
                N_("Developing pupils' functional literacy"),
                N_("Digital resources and online platforms"),
                N_("Working with gifted pupils"),
                N_("Pupils' motivation and discipline"),
                N_("Working with parents"),
                N_("Paperwork and reporting"),
            ),
        ),
        TemplateQuestion(
            MULTI,
            N_("Which topics would you like the association to take up this year?"),
            (
                N_("Tasks for functional literacy"),
                N_("Project and research work of pupils"),
                N_("Modern teaching methods and technologies"),
                N_("Work programmes and thematic planning"),
                N_("Analysis of exam results and typical mistakes"),
                N_("Inclusive education"),
                N_("Educational work in lessons"),
            ),
        ),
        TemplateQuestion(
            MULTI,
            N_("Which forms of methodological support would help you most?"),
            (
                N_("Individual consultations"),
                N_("Mentoring"),
                N_("Visiting colleagues' open lessons"),
                N_("Master classes"),
                N_("Seminars and workshops"),
                N_("Methodological materials for self-study"),
                N_("Professional development courses"),
            ),
        ),
        TemplateQuestion(
            SINGLE,
            N_("Which format of meetings suits you best?"),
            (
                N_("In person"),
                N_("Online"),
                N_("Mixed"),
                N_("Recordings to watch at a convenient time"),
            ),
        ),
        TemplateQuestion(
            SCALE,
            N_(
                "How confident are you in applying the updated federal standards in your "
                "lessons? (1 — not confident, 5 — fully confident)"
            ),
        ),
        TemplateQuestion(
            SINGLE,
            N_("Are you ready to share your experience with colleagues?"),
            (
                N_("Yes, with an open lesson"),
                N_("Yes, with a talk or a master class"),
                N_("Yes, with a publication"),
                N_("Not yet"),
            ),
        ),
        TemplateQuestion(
            TEXT,
            N_("What else would help you in your work? Describe a difficulty or a request."),
            required=False,
        ),
    ),
)

FEEDBACK = Template(
    N_("Meeting feedback"),
    (
        TemplateQuestion(SCALE, N_("Rate the content of the meeting (1 — poor, 5 — excellent)")),
        TemplateQuestion(
            SCALE, N_("Rate the form in which the meeting was held (1 — poor, 5 — excellent)")
        ),
        TemplateQuestion(
            SCALE, N_("How useful is the meeting for your work? (1 — not at all, 5 — very)")
        ),
        TemplateQuestion(TEXT, N_("Your comment or suggestion"), required=False),
    ),
)

YEAR = Template(
    N_("End-of-year evaluation of the association"),
    (
        TemplateQuestion(
            SCALE, N_("Rate the content of the association's work this year (1 to 5)")
        ),
        TemplateQuestion(SCALE, N_("Rate the forms and methods of work (1 to 5)")),
        TemplateQuestion(SCALE, N_("Rate the work of the association's leader (1 to 5)")),
        TemplateQuestion(SCALE, N_("Rate the participants' activity (1 to 5)")),
        TemplateQuestion(TEXT, N_("What was the most useful for you this year?")),
        TemplateQuestion(
            TEXT, N_("What would you change in the association's work?"), required=False
        ),
        TemplateQuestion(TEXT, N_("Which topics do you propose for next year?"), required=False),
    ),
)

BLANK = Template(N_("Questionnaire"), ())

TEMPLATES: dict[SurveyTemplate, Template] = {
    SurveyTemplate.NEEDS: NEEDS,
    SurveyTemplate.FEEDBACK: FEEDBACK,
    SurveyTemplate.YEAR: YEAR,
    SurveyTemplate.BLANK: BLANK,
}
