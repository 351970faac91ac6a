"""The drafted wording of an association's regulation, section by section.

A pure function of the association's kind and settings (:class:`RegulationFacts`): the
seven sections of a real regulation, each a text with a clause per line and «– » before a
list item (``documents.regulation_words.parse_clauses`` reads it back). What differs by
kind is in ``documents.regulation_kinds``: a ВПО is municipal, reports to the district
expert-methodological council and gives certificates at the end; an СМО is run by a
network methodist with needs diagnostics and a three-stage meeting cycle; a ВМК is a bank
of materials with their expertise; a network community has at most 150 members and child
communities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from documents.regulation_kinds import FORMS_OF_WORK, LEADER_RIGHTS, MEETING_STAGES, rules_of
from documents.regulation_words import (
    genitive_title,
    kind_forms,
    people_after_at_most,
    subject_words,
    up_to_words,
)
from services.formatting import format_date

__all__ = ["COMMUNITY_CAP", "SECTION_TITLES", "RegulationFacts", "draft_sections"]

SECTION_TITLES = (
    "Общие положения",
    "Цели и задачи",
    "Организация деятельности",
    "Права и обязанности руководителя",
    "Права и обязанности участников",
    "Документация",
    "Заключительные положения",
)
COMMUNITY_CAP = 150
_SCOPES = {"mono": "монопредметная", "supra": "надпредметная", "multi": "межпредметная"}


@dataclass(frozen=True)
class RegulationFacts:
    """What the regulation is drafted from. ``kind``, ``join_policy`` and
    ``subject_scope`` are the enum values ("vmo", "open", "mono"); ``subjects`` catalogue
    keys or a teacher's own words."""

    kind: str
    name: str
    period_start: date
    period_end: date
    organisation: str = ""
    topic: str = ""
    goals: str = ""
    member_cap: int | None = None
    join_policy: str = "open"
    subject_scope: str = "mono"
    subjects: Sequence[str] = ()
    parent: str = ""
    children: Sequence[str] = ()
    order_ref: str = ""
    meetings_per_year: int = 4


def draft_sections(facts: RegulationFacts) -> tuple[str, ...]:
    """The seven sections' drafted texts, in order."""
    words = _Words(facts)
    sections = (
        words.general(),
        words.goals(),
        words.organisation(),
        words.leader(),
        words.members(),
        words.documents(),
        words.final(),
    )
    return tuple("\n".join(lines) for lines in sections)


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (or its own «!», «?», «…»)."""
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _items(lines: Sequence[str]) -> list[str]:
    """List lines: «– …;» each, the last ending with a full stop."""
    last = len(lines) - 1
    return [f"– {line}{'.' if i == last else ';'}" for i, line in enumerate(lines)]


class _Words:
    """The sentences of one regulation."""

    def __init__(self, facts: RegulationFacts) -> None:
        self.facts = facts
        self.kind = facts.kind
        self.rules = rules_of(facts.kind)
        forms = kind_forms(facts.kind)
        self.nom, self.gen, self.ins = forms.nom, forms.gen, forms.ins
        org = f" ({facts.organisation})" if facts.organisation else ""
        self._fields = {"nom": forms.nom, "gen": forms.gen, "ins": forms.ins, "org": org}

    def fill(self, template: str) -> str:
        return template.format(**self._fields)

    def fill_all(self, templates: Sequence[str]) -> list[str]:
        return [self.fill(template) for template in templates]

    # 1. Общие положения --------------------------------------------------------------
    def general(self) -> list[str]:
        facts, gen = self.facts, self.gen
        lines = [
            "Настоящее Положение определяет цели, задачи, порядок организации и деятельности "
            f"{genitive_title(facts.name, facts.kind)} (далее — {self.nom}).",
            self.fill(self.rules.what_it_is),
            f"В своей деятельности {self.nom} руководствуется Федеральным законом от "
            "29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации», федеральными "
            "государственными образовательными стандартами, нормативными правовыми актами в "
            f"сфере образования, {self.rules.local_acts}, а также настоящим Положением.",
        ]
        if facts.topic:
            lines.append(self._topic())
        lines.append(self._period())
        if facts.subjects:
            scope = _SCOPES.get(facts.subject_scope, _SCOPES["mono"])
            lines.append(
                f"Предметная направленность {gen}: {scope} ({subject_words(facts.subjects)})."
            )
        lines += [self._membership(), self._cap(), *self._family()]
        lines.append(
            f"Деятельность {gen} строится на принципах добровольности, открытости, "
            "равноправия участников, взаимного уважения и профессиональной этики."
        )
        return lines

    def _topic(self) -> str:
        topic = self.facts.topic.rstrip(".")
        if self.kind == "vpo":
            return (
                f"Тема работы {self.gen} — «{topic}» — определена приказом муниципального "
                "органа управления образованием на основе выявленных профессиональных "
                "потребностей педагогов."
            )
        return f"Методическая тема {self.gen}: «{topic}»."

    def _period(self) -> str:
        since = format_date(self.facts.period_start)
        until = format_date(self.facts.period_end)  # «… 2027 г.»: the full stop is there
        if self.kind == "vpo":
            return (
                f"{self.nom} создаётся на срок не более одного учебного года и действует "
                f"с {since} по {until}"
            )
        return f"Срок деятельности {self.gen}: с {since} по {until}"

    def _membership(self) -> str:
        gen = self.gen
        joining = {
            "approval": f"вступление — по заявке педагога, поданной через бот {gen}, "
            f"с согласия руководителя {gen}",
            "invitation": f"вступление — по персональному приглашению руководителя {gen}",
        }.get(
            self.facts.join_policy,
            f"вступление свободное: педагог подаёт заявку через бот {gen} и сразу "
            "становится участником",
        )
        return (
            f"Участниками {gen} являются педагогические работники, зарегистрированные в боте "
            f"{gen} в мессенджере Telegram; {joining}."
        )

    def _cap(self) -> str:
        cap = self.facts.member_cap
        if self.kind == "community":
            return (
                f"Численность участников {self.gen} — {people_after_at_most(cap or COMMUNITY_CAP)}."
            )
        if cap is None:
            return f"Численность участников {self.gen} не ограничена."
        return (
            f"Численность участников {self.gen} — {people_after_at_most(cap)}; при "
            "отсутствии свободных мест педагог может встать в очередь и получит место, когда "
            "оно освободится."
        )

    def _family(self) -> list[str]:
        facts, lines = self.facts, []
        if facts.parent:
            lines.append(
                f"{self.nom} входит в состав «{facts.parent}» и действует в соответствии с его "
                "целями."
            )
        if facts.children:
            names = ", ".join(f"«{child}»" for child in facts.children)
            lines.append(f"В составе {self.gen} действуют дочерние сообщества: {names}.")
        elif self.kind == "community":
            lines.append(
                f"Внутри {self.gen} по решению его руководителя могут создаваться дочерние "
                "сообщества по отдельным направлениям работы."
            )
        return lines

    # 2. Цели и задачи ----------------------------------------------------------------
    def goals(self) -> list[str]:
        own = [line.strip() for line in self.facts.goals.splitlines() if line.strip()]
        if len(own) == 1:
            goal = [f"Цель {self.gen}: {_sentence(own[0])}"]
        elif own:
            goal = [f"Цели {self.gen}:", *_items([line.rstrip(";.") for line in own])]
        else:
            goal = [f"Цель {self.gen} — {self.rules.goal}"]
        return [*goal, f"Задачи {self.gen}:", *_items(self.fill_all(self.rules.tasks))]

    # 3. Организация деятельности -----------------------------------------------------
    def organisation(self) -> list[str]:
        gen = self.gen
        return [
            f"Деятельность {gen} осуществляется в дистанционном формате в мессенджере "
            f"Telegram: в групповом чате {gen} и в боте {gen}, где ведутся список участников, "
            "план работы, заседания и протоколы, банк материалов, консультации, опросы и "
            "анкеты.",
            f"Работа {gen} ведётся по плану на учебный год. План составляет руководитель {gen} "
            f"с учётом предложений участников; {self.rules.plan_route}. Изменения в "
            "утверждённый план вносятся в том же порядке.",
            self._meetings(),
            f"Формы работы {gen}: {FORMS_OF_WORK}.",
            *self._meeting_cycle(),
            "По итогам каждого заседания оформляется протокол; утверждённый протокол "
            f"размещается в групповом чате {gen} и рассылается участникам.",
            f"Групповой чат {gen} является площадкой для общения участников; в него "
            f"принимаются только участники {gen}. Правила общения в чате устанавливает "
            f"руководитель {gen}.",
            self._materials(),
            f"Участники обращаются за консультацией к руководителю и экспертам {gen} через "
            "бот; молодому специалисту может быть назначен наставник.",
            self._surveys(),
            *self.fill_all(self.rules.support),
        ]

    def _meetings(self) -> str:
        what = "виртуальных заседаний"
        if self.kind == "vmk":
            what = "виртуальных заседаний, семинаров или вебинаров"
        at_least = up_to_words(self.facts.meetings_per_year)
        return f"В течение учебного года проводится не менее {at_least} {what} {self.gen}."

    def _meeting_cycle(self) -> list[str]:
        if self.kind != "smo":
            return [
                "О заседании участники извещаются через бот: приглашение содержит тему, дату, "
                "время и ссылку на онлайн-площадку. Участники сообщают о своём участии и "
                "отмечают присутствие во время заседания."
            ]
        return [f"Каждое заседание {self.gen} проходит три этапа:", *_items(MEETING_STAGES)]

    def _materials(self) -> str:
        if self.kind == "vmk":
            return (
                f"Поступающие материалы размещаются в банке материалов {self.gen} после "
                "экспертизы и систематизируются по видам, предметам и классам."
            )
        return (
            f"Методические материалы участников размещаются в банке материалов {self.gen} "
            "после проверки руководителем или экспертом."
        )

    def _surveys(self) -> str:
        if self.rules.needs_diagnostics:
            return (
                "В начале учебного года проводится диагностика профессиональных потребностей "
                "педагогов (анкетирование); её результаты учитываются при планировании работы "
                f"{self.gen}."
            )
        return (
            "Для выявления профессиональных потребностей участников и оценки работы "
            f"{self.gen} проводятся опросы и анкетирование."
        )

    # 4. Права и обязанности руководителя ---------------------------------------------
    def leader(self) -> list[str]:
        return [
            self.fill(self.rules.appointment),
            f"Руководитель {self.gen} обязан:",
            *_items(self._leader_duties()),
            f"Руководитель {self.gen} имеет право:",
            *_items(LEADER_RIGHTS),
        ]

    def _leader_duties(self) -> list[str]:
        at_least = up_to_words(self.facts.meetings_per_year)
        duties = [
            "составлять план работы на учебный год и представлять его на утверждение",
            f"организовывать и проводить не менее {at_least} заседаний в учебный год",
            "обеспечивать оформление протоколов заседаний и их рассылку участникам",
            "вести список участников (картотеку)",
        ]
        if self.facts.join_policy == "approval":
            duties.append("рассматривать заявки педагогов на вступление")
        duties += [
            "модерировать групповой чат и материалы, размещаемые участниками",
            "отвечать на обращения участников или передавать их экспертам",
            *self.fill_all(self.rules.leader_duties),
            f"готовить годовой отчёт о работе {self.gen}"
            if self.kind == "community"
            else "готовить аналитическую справку о работе за учебный год",
        ]
        return duties

    # 5. Права и обязанности участников -----------------------------------------------
    def members(self) -> list[str]:
        gen = self.gen
        rights = [
            f"участвовать в заседаниях и во всех формах работы {gen}",
            "вносить предложения в план работы",
            f"получать консультации руководителя и экспертов {gen}",
            f"размещать свои методические материалы в банке материалов {gen} и пользоваться "
            "материалами коллег",
            "переписываться с другими участниками через бот",
            f"получать документ об участии в работе {gen}",
            f"выйти из {gen} в любое время",
            "получать сведения о своих персональных данных, хранящихся в боте, и требовать "
            "их удаления",
        ]
        duties = [
            "соблюдать настоящее Положение и правила группового чата",
            "принимать участие в заседаниях и сообщать о своём участии через бот",
            "выполнять принятые поручения в установленный срок",
            f"отвечать на опросы и анкеты {gen}",
            "соблюдать профессиональную этику и авторские права при размещении материалов",
        ]
        if self.kind == "community":
            duties.append(f"принимать участие во всех формах деятельности {gen}")
        lines = [
            f"Участник {gen} имеет право:",
            *_items(rights),
            f"Участник {gen} обязан:",
            *_items(duties),
        ]
        if self.kind == "vpo":
            lines.append(
                f"По окончании работы {gen} участникам, выполнившим её программу, выдаются "
                "сертификаты участника."
            )
        return lines

    # 6. Документация -----------------------------------------------------------------
    def documents(self) -> list[str]:
        gen = self.gen
        papers = [
            "настоящее Положение",
            "план работы на учебный год",
            "протоколы заседаний",
            "картотека участников" if self.kind == "vpo" else "список участников (картотека)",
            "инструкция участника",
            *self.fill_all(self.rules.papers),
            f"годовой отчёт о работе {gen}"
            if self.kind == "community"
            else "аналитическая справка о работе за учебный год",
        ]
        return [
            f"Документация {gen} ведётся в электронном виде в боте {gen} и включает:",
            *_items(papers),
            "Протоколы заседаний нумеруются в пределах учебного года, подписываются "
            "председателем и секретарём заседания и хранятся в боте.",
            self._report(),
            f"Документы {gen} формируются в формате PDF и предоставляются участникам и "
            "администрации по запросу.",
        ]

    def _report(self) -> str:
        gen = self.gen
        if self.kind == "community":
            return (
                f"По итогам учебного года руководитель {gen} готовит отчёт о востребованности "
                f"ресурсов {gen}, равномерности участия педагогов во всех формах деятельности "
                "и стабильности пополнения хранилища материалов."
            )
        return (
            f"По итогам учебного года руководитель {gen} готовит аналитическую справку"
            f"{self.rules.report_to}."
        )

    # 7. Заключительные положения -----------------------------------------------------
    def final(self) -> list[str]:
        gen, order = self.gen, self.facts.order_ref
        by_order = f" приказом {order}" if order else ""
        if self.kind == "vpo":
            end = (
                f"Деятельность {gen} прекращается по окончании срока, на который оно создано, "
                "или по решению муниципального органа управления образованием."
            )
        else:
            end = (
                f"Деятельность {gen} прекращается по решению органа, утвердившего настоящее "
                "Положение."
            )
        return [
            f"Настоящее Положение вступает в силу с момента его утверждения{by_order} и "
            "действует до его отмены или утверждения нового Положения.",
            "Изменения и дополнения в настоящее Положение вносятся по предложению "
            f"руководителя или участников {gen} и утверждаются в том же порядке, что и "
            "Положение.",
            end,
            "Обработка персональных данных участников осуществляется с их согласия в "
            "соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных "
            "данных».",
        ]
