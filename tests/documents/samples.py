"""Small factories of realistic Russian sample data for the document tests and the bench."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from documents.attendance import AttendanceData, AttendanceEntry
from documents.data import Approval, AssociationInfo, Person
from documents.plan import PlanData, PlanItem
from documents.protocol import AgendaItem, Decision, ProtocolData, Speech, Vote
from documents.roster import RosterData, RosterMember

TZ = "Europe/Moscow"
TRICKY_NAME = "Иванова <b>& Анна Петровна"

_FEMALE = [
    ("Иванова", "Анна", "Петровна"),
    ("Смирнова", "Елена", "Викторовна"),
    ("Кузнецова", "Ольга", "Николаевна"),
    ("Попова", "Татьяна", "Сергеевна"),
    ("Васильева", "Марина", "Александровна"),
    ("Соколова", "Ирина", "Владимировна"),
    ("Михайлова", "Наталья", "Ивановна"),
    ("Новикова", "Светлана", "Юрьевна"),
    ("Фёдорова", "Людмила", "Геннадьевна"),
    ("Морозова", "Екатерина", "Андреевна"),
]
_MALE = [
    ("Петров", "Иван", "Иванович"),
    ("Волков", "Сергей", "Михайлович"),
    ("Алексеев", "Дмитрий", "Олегович"),
    ("Лебедев", "Андрей", "Павлович"),
    ("Семёнов", "Николай", "Фёдорович"),
]
_SCHOOLS = [
    "МБОУ «Средняя общеобразовательная школа № 5» г. Твери",
    "МБОУ «Лицей № 2»",
    "МОУ «Гимназия № 12 имени А. С. Пушкина»",
    "МБОУ «Основная общеобразовательная школа с. Верхние Луки»",
    "ГБОУ «Центр образования № 1»",
]
_POSITIONS = ["учитель математики", "учитель информатики", "учитель математики и физики"]
_SUBJECTS = [("математика",), ("информатика",), ("математика", "физика"), ("алгебра", "геометрия")]
_CATEGORIES = ["высшая", "first", "без категории", "highest", "первая"]


def full_name(i: int) -> str:
    """A deterministic, varied Russian full name for index ``i``."""
    pool = _FEMALE if i % 3 else _MALE
    last, first, middle = pool[i % len(pool)]
    if i >= len(_FEMALE) + len(_MALE):
        # keep names distinct in long lists
        first = [first, "Мария", "Юлия", "Галина"][i % 4] if pool is _FEMALE else first
    return f"{last} {first} {middle}"


def make_association(**overrides: object) -> AssociationInfo:
    values: dict[str, object] = {
        "name": "Виртуальное методическое объединение учителей математики",
        "kind": "ВМО",
        "organisation": "МБОУ «Средняя общеобразовательная школа № 5» г. Твери",
    }
    values.update(overrides)
    return AssociationInfo(**values)  # type: ignore[arg-type]


def make_leader(name: str = "Иванова Анна Петровна") -> Person:
    return Person(name, "Руководитель ВМО", "МБОУ «СОШ № 5» г. Твери")


def make_members(n: int, tricky_first: bool = False) -> list[RosterMember]:
    members = []
    for i in range(n):
        name = TRICKY_NAME if tricky_first and i == 0 else full_name(i)
        members.append(
            RosterMember(
                full_name=name,
                organisation=_SCHOOLS[i % len(_SCHOOLS)],
                position=_POSITIONS[i % len(_POSITIONS)],
                subjects=_SUBJECTS[i % len(_SUBJECTS)],
                category=_CATEGORIES[i % len(_CATEGORIES)],
                experience_years=[1, 3, 12, 21, 5, 14, 2, 30][i % 8],
                joined_on=date(2026, 9, 1 + i % 28),
                role="leader" if i == 0 else ("secretary" if i == 1 else "member"),
            )
        )
    return members


def make_roster(n: int = 150, tricky_first: bool = False) -> RosterData:
    return RosterData(
        association=make_association(),
        academic_year=2026,
        compiled_on=date(2026, 11, 26),
        members=tuple(make_members(n, tricky_first)),
        leader=make_leader(),
    )


def make_people(n: int, start: int = 0) -> list[Person]:
    return [
        Person(full_name(start + i), _POSITIONS[i % 3], _SCHOOLS[(start + i) % 5]) for i in range(n)
    ]


def make_agenda() -> tuple[AgendaItem, ...]:
    return (
        AgendaItem(
            title="Анализ результатов входной диагностики по математике в 5–9 классах",
            speakers=("Смирнова Е. В., учитель математики",),
            heard=(
                Speech(
                    "Смирнова Е. В.",
                    "представила результаты входной диагностики, типичные ошибки "
                    "обучающихся и предложения по их устранению.",
                ),
            ),
            spoke=(
                Speech("Петров И. И.", "предложил провести сетевой практикум по решению задач."),
                Speech(TRICKY_NAME, "поддержала предложение, отметив <важность> & пользу."),
            ),
            decisions=(
                Decision(
                    "Принять к сведению результаты входной диагностики.",
                    vote=Vote(12, 0, 1),
                ),
                Decision(
                    "Провести сетевой практикум «Решение текстовых задач».",
                    responsible="Петров И. И.",
                    deadline=date(2026, 12, 15),
                    vote=Vote(13, 0, 0),
                ),
            ),
        ),
        AgendaItem(
            title="Подготовка обучающихся к муниципальному этапу всероссийской олимпиады "
            "школьников",
            speakers=("Волков С. М.", "Кузнецова О. Н."),
            heard=(Speech("Волков С. М.", "о графике подготовки и банке олимпиадных заданий."),),
            decisions=(
                Decision(
                    "Сформировать банк олимпиадных заданий в разделе «Ресурсы».",
                    responsible="Кузнецова О. Н.",
                    deadline="до 1 декабря 2026 г.",
                ),
            ),
        ),
    )


def make_protocol(present: int = 20, absent: int = 2, draft: bool = False) -> ProtocolData:
    people = make_people(present + absent)
    return ProtocolData(
        association=make_association(),
        number=3,
        held_at=datetime(2026, 11, 26, 12, 0, tzinfo=ZoneInfo("UTC")),
        timezone=TZ,
        place="онлайн, платформа Сферум",
        chair=make_leader(),
        secretary=Person("Смирнова Елена Викторовна", "секретарь ВМО"),
        present=tuple(people[:present]),
        absent=tuple(people[present:]),
        agenda=make_agenda(),
        topic="Формирование функциональной грамотности на уроках математики",
        draft=draft,
    )


def make_plan(n_items: int = 12, approved: bool = True) -> PlanData:
    forms = ["вебинар", "master_class", "forum", "seminar", "chat_consultation"]
    topics = [
        "Анализ работы ВМО за 2025/2026 учебный год. Утверждение плана работы",
        "Функциональная грамотность: банк заданий PISA-типа",
        "Цифровые образовательные ресурсы на уроке математики",
        "Подготовка к ОГЭ и ЕГЭ: разбор заданий повышенной сложности",
        "Формирующее оценивание в основной школе",
        "Работа с одарёнными детьми: олимпиадная математика",
    ]
    items = []
    months = [(2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2)]
    for i in range(n_items):
        year, month = months[(i // 2) % len(months)]
        items.append(
            PlanItem(
                topic=topics[i % len(topics)],
                month=(year, month),
                on_date=date(year, month, 20) if i % 2 else None,
                form=forms[i % len(forms)],
                responsible=("Иванова А. П.",) if i % 3 else ("Иванова А. П.", "Петров И. И."),
                expected_result="методические рекомендации, материалы в банке ресурсов",
                done_mark="выполнено" if approved and i < 4 else "",
            )
        )
    agreed = Approval(
        position="Заместитель директора по УВР",
        organisation="МБОУ «СОШ № 5» г. Твери",
        full_name="Смирнова Елена Викторовна" if approved else "",
        signed_on=date(2026, 8, 29) if approved else None,
    )
    approve = Approval(
        position="Директор",
        organisation="МБОУ «СОШ № 5» г. Твери",
        full_name="Петров Иван Иванович" if approved else "",
        signed_on=date(2026, 8, 30) if approved else None,
        reference="Приказ № 112-о от 30.08.2026" if approved else "",
    )
    return PlanData(
        association=make_association(),
        academic_year=2026,
        methodological_topic="Совершенствование профессиональной компетентности учителей "
        "математики как условие повышения качества образования",
        goal="Создание условий для непрерывного профессионального роста учителей математики "
        "через сетевое взаимодействие.",
        tasks=(
            "Обеспечить методическое сопровождение учителей по вопросам ФГОС.",
            "Организовать обмен опытом через виртуальные формы работы.",
            "Сформировать банк методических материалов по функциональной грамотности.",
        ),
        items=tuple(items),
        agreed=agreed,
        approved=approve,
        status="approved" if approved else "draft",
        version=2 if approved else 1,
        leader=make_leader(),
    )


def make_attendance(n: int = 20, absent_every: int = 7) -> AttendanceData:
    people = make_people(n)
    return AttendanceData(
        association=make_association(),
        meeting_number=3,
        meeting_topic="Формирование функциональной грамотности на уроках математики",
        held_at=datetime(2026, 11, 26, 12, 0, tzinfo=ZoneInfo("UTC")),
        timezone=TZ,
        place="онлайн, платформа Сферум",
        entries=tuple(
            AttendanceEntry(p.full_name, p.organisation, present=bool(i % absent_every))
            for i, p in enumerate(people)
        ),
        secretary=Person("Смирнова Елена Викторовна", "Секретарь ВМО"),
    )


# --- rich samples: the names and texts that broke the layout in the review ----------------

LONG_SURNAME = "Константинопольская Анна Викторовна"
DOUBLE_SURNAME = "Воскресенская-Оболенская Мария Сергеевна"
OGLY = "Мамедов Эльчин Рашид оглы"
KYZY = "Алиева Лейла Рашид кызы"
EMOJI_NAME = "Смайликова 😀 Анна Игоревна"
LONG_POSITION = "заместитель директора по учебно-воспитательной работе"
LONG_SCHOOL = (
    "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
    "школа № 12 с углублённым изучением отдельных предметов имени Героя Советского Союза "
    "И. П. Константинопольского» г. Твери"
)
RICH_NAMES = (LONG_SURNAME, DOUBLE_SURNAME, OGLY, KYZY, EMOJI_NAME, "Ахмедов Рустам Ильхам оглы")


def _rich_people(n: int) -> list[Person]:
    people = [Person(name, LONG_POSITION, LONG_SCHOOL) for name in RICH_NAMES]
    return (people + make_people(max(0, n - len(people))))[:n]


def rich_protocol(present: int = 14, absent: int = 3, draft: bool = False) -> ProtocolData:
    people = _rich_people(present + absent)
    agenda = (
        *make_agenda(),
        AgendaItem(
            title="Об организации наставничества для молодых специалистов в 2026/2027 учебном году",
            speakers=("Тихомирова Л. Б.",),
            heard=(Speech("Тихомирова Л. Б.", "о программе наставничества и парах наставников."),),
            spoke=(Speech(short_name_of(LONG_SURNAME), "предложила закрепить наставников."),),
            decisions=(
                Decision(
                    "Утвердить пары «наставник — молодой специалист».",
                    responsible=short_name_of(LONG_SURNAME),
                    deadline=date(2026, 12, 1),
                    vote=Vote(14, 0, 0),
                ),
            ),
        ),
        AgendaItem(title="Разное", heard=(Speech(short_name_of(OGLY), "об олимпиаде."),)),
    )
    return ProtocolData(
        association=make_association(name="ВМО учителей математики"),
        number=3,
        held_at=datetime(2026, 11, 26, 11, 30, tzinfo=ZoneInfo("UTC")),
        timezone=TZ,
        place="онлайн, платформа Сферум",
        chair=Person(LONG_SURNAME, "Руководитель ВМО"),
        secretary=Person(DOUBLE_SURNAME, "Секретарь ВМО"),
        present=tuple(people[:present]),
        absent=tuple(people[present:]),
        agenda=agenda,
        topic="Формирование функциональной грамотности на уроках математики",
        draft=draft,
    )


def short_name_of(full: str) -> str:
    from services.names import short_name

    return short_name(full)


def rich_plan(approved: bool = True) -> PlanData:
    plan = make_plan(15, approved=approved)
    items = list(plan.items)
    items[3] = PlanItem(
        topic="Методический семинар «Формирующее оценивание»",
        month=(2026, 12),
        form="unknown_code",
        responsible=(LONG_SURNAME, DOUBLE_SURNAME),
        expected_result="методические рекомендации по учебно-воспитательной работе",
    )
    items += [
        PlanItem("Пополнение банка методических ресурсов", form="other", responsible=(OGLY,)),
        PlanItem("Консультации для молодых специалистов", form="consultation"),
    ]
    agreed = plan.agreed
    if approved and agreed is not None:
        agreed = Approval(
            agreed.position,
            agreed.organisation,
            agreed.full_name,
            agreed.signed_on,
            reference="Протокол методического совета № 1 от 28.08.2026",
        )
    return PlanData(
        **{
            **plan.__dict__,
            "items": tuple(items),
            "agreed": agreed,
            "leader": Person(LONG_SURNAME, "Руководитель ВМО"),
        }
    )


def rich_roster() -> RosterData:
    members = make_members(17)
    for i, name in enumerate(RICH_NAMES):
        members[i] = RosterMember(
            full_name=name,
            organisation=LONG_SCHOOL,
            position=LONG_POSITION,
            subjects=("математика", "информатика"),
            category=["highest", "strange", "first", "none", "teacher_methodist", "first"][i],
            experience_years=[23, 0, 1, 14, 31, 2][i],
            joined_on=date(2026, 9, 1 + i),
            role=["leader", "secretary", "strange_role", "member", "member", "expert"][i],
        )
    return RosterData(
        association=make_association(),
        academic_year=2026,
        compiled_on=date(2026, 11, 26),
        members=tuple(members),
        leader=Person(LONG_SURNAME, "Руководитель ВМО"),
    )


def rich_attendance() -> AttendanceData:
    people = _rich_people(17)
    return AttendanceData(
        association=make_association(),
        meeting_number=3,
        meeting_topic="Формирование функциональной грамотности на уроках математики",
        held_at=datetime(2026, 11, 26, 11, 30, tzinfo=ZoneInfo("UTC")),
        timezone=TZ,
        place="онлайн, платформа Сферум",
        entries=tuple(
            AttendanceEntry(p.full_name, p.organisation, present=i % 6 != 5)
            for i, p in enumerate(people)
        ),
        secretary=Person(DOUBLE_SURNAME, "Секретарь ВМО"),
    )
