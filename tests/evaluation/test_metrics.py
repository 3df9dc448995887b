"""Tests for the evaluation harness: the support rule, the verbatim check, the metrics and question loading."""

import json
from pathlib import Path

import pytest

from bot.answer import Answer, Excerpt
from bot.errors import InputError
from bot.evaluation.metrics import is_verbatim, metrics_from_rows, percentile, run_eval, supports
from bot.evaluation.questions import Gold, Question, load_questions
from bot.ingest.frontmatter import split_front_matter
from bot.language.words import words
from bot.report import Report
from tests.conftest import DEV_SET, KNOWLEDGE

GOLD = Gold("essex-ilacs", "Personal advisers keep in touch with care leavers and know them well.")
# Exactly six words of three or more characters.
SIX_WORDS = "Personal advisers visit care leavers often."


def _row(qid: str, excerpts: list[tuple[str, str]], answered: bool = True, latency_ms: float = 1.0) -> dict:
    return {
        "id": qid, "answered": answered, "latency_ms": latency_ms,
        "excerpts": [{"report": r, "text": t, "section": "", "score": 0.5} for r, t in excerpts],
    }


def test_words_are_lowercase_alphanumeric_tokens_of_three_or_more():
    """Short tokens go, case folds, digits count, and a curly apostrophe splits like a straight one."""
    assert words("Children’s 39 weeks in 2018: an LADO-led review") == {"children", "weeks", "2018", "lado", "led",
                                                                      "review"}
    assert words("children's") == words("children’s")


def test_an_identical_quote_from_the_same_report_supports():
    """An excerpt that is the gold quote, from the gold quote's report, supports it."""
    assert supports("essex-ilacs", GOLD.quote, GOLD)


def test_the_same_words_from_a_different_report_do_not_support():
    """Support requires the same report, however closely the words match."""
    assert not supports("kent-ilacs", GOLD.quote, GOLD)


def test_six_shared_words_are_enough_and_five_are_not():
    """Six shared words support even when that is all there is; five never do, even at 100% overlap."""
    gold = Gold("r", SIX_WORDS)
    assert supports("r", "Leaders said personal advisers visit care leavers often.", gold)
    five = Gold("r", "Personal advisers visit care leavers.")
    assert len(words(five.quote)) == 5
    assert not supports("r", five.quote, five)


def test_sixty_percent_of_the_shorter_side_is_the_threshold():
    """Six shared words out of a ten-word shorter side support; six out of eleven (54%) do not."""
    excerpt = SIX_WORDS + " Managers review plans weekly with staff and partners."
    assert len(words(excerpt)) == 14
    ten = Gold("r", SIX_WORDS + " alpha bravo charlie delta")
    eleven = Gold("r", SIX_WORDS + " alpha bravo charlie delta echo")
    assert (len(words(ten.quote)), len(words(eleven.quote))) == (10, 11)
    assert supports("r", excerpt, ten)
    assert not supports("r", excerpt, eleven)


def test_the_share_is_taken_of_the_shorter_side_either_way():
    """A long excerpt containing a short gold quote supports it, and so does a short excerpt inside a long quote."""
    long_text = SIX_WORDS + " " + " ".join(f"word{i}" for i in range(40))
    assert supports("r", long_text, Gold("r", SIX_WORDS))
    assert supports("r", SIX_WORDS, Gold("r", long_text))


@pytest.mark.parametrize(
    ("excerpt", "source"),
    [
        ("The council’s “front door” works well.", 'The council\'s "front door" works well.'),
        ('The council\'s "front door" works well.', "The council’s “front door” works well."),
        ("Care leavers aged 19-21 are in work.", "Care leavers aged 19–21 are in work."),
        ("Leaders act — quickly.", "Leaders act - quickly."),
        ("Risk assessment and return home interviews.", "Areas:\n\n- Risk assessment and return home interviews.\n"),
        ("- Risk assessment and return home interviews.", "Areas:\n* Risk assessment and return home interviews.\n"),
        ("Practice is strong. Leaders know it.", "Practice is **strong**. Leaders _know_ it."),
        ("Practice is __strong__.", "Practice is strong."),
        ("| The experiences and progress of care leavers | Inadequate |",
         "| Judgement | Grade |\n| --- | --- |\n| The experiences and progress of care leavers | Inadequate |\n"),
        ("The experiences and progress of care leavers Inadequate",
         "| The experiences and progress of care leavers | Inadequate |\n"),
        ("Supervision is regular\nand reflective.", "Supervision  is regular and\n\treflective."),
    ],
)
def test_verbatim_ignores_typography_markdown_and_whitespace(excerpt: str, source: str):
    """Quotes, dashes, bullets, emphasis, table pipes and whitespace do not stop an excerpt verifying."""
    assert is_verbatim(excerpt, source)


@pytest.mark.parametrize(
    "excerpt",
    ["Supervision is frequent and reflective.", "supervision is regular and reflective.", "", "   ",
     "Supervision is regular and reflective, and"],
)
def test_verbatim_rejects_changed_words_case_and_empty_excerpts(excerpt: str):
    """A changed word, a changed letter case, extra words or an empty excerpt is not verbatim."""
    assert not is_verbatim(excerpt, "Supervision is regular and reflective. Caseloads are manageable.")


def test_every_dev_gold_quote_is_verbatim_in_its_knowledge_report():
    """The verbatim check accepts each gold quote of dev.jsonl against the real report it was copied from."""
    for question in load_questions(DEV_SET):
        for gold in question.gold:
            body = split_front_matter((KNOWLEDGE / f"{gold.report}.md").read_text(encoding="utf-8"))[1]
            assert is_verbatim(gold.quote, body), (question.id, gold.quote)


def _write(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "q1", "question": "how is supervision?", "answerable": True, "kind": "thematic",
        "gold": [{"report": "r", "quote": "Supervision is regular."}]}


def test_load_questions_reads_fields_and_skips_blank_lines(tmp_path: Path):
    """Each line becomes a Question with its gold quotes; blank lines are ignored."""
    unanswerable = {"id": "q2", "question": "tea?", "answerable": False, "kind": "unanswerable", "gold": []}
    questions = load_questions(_write(tmp_path, [GOOD, "", unanswerable]))
    assert questions == [
        Question("q1", "how is supervision?", True, "thematic", (Gold("r", "Supervision is regular."),)),
        Question("q2", "tea?", False, "unanswerable", ()),
    ]


def test_load_questions_reads_the_shared_dev_set():
    """The development set loads whole: 70 questions, 7 of them unanswerable."""
    questions = load_questions(DEV_SET)
    assert (len(questions), sum(not q.answerable for q in questions)) == (70, 7)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "'question' is missing"),
        ({**GOOD, "answerable": "yes"}, "'answerable' is missing or not a bool"),
        ({**GOOD, "kind": "gossip"}, "unknown kind 'gossip'"),
        ({**GOOD, "gold": []}, "needs gold quotes"),
        ({**GOOD, "answerable": False}, "must have none"),
        ({**GOOD, "gold": [{"report": "r"}]}, "'report' and a 'quote'"),
        ({**GOOD}, "duplicate id 'q1'"),
    ],
)
def test_load_questions_names_the_bad_line_and_reason(tmp_path: Path, bad, reason: str):
    """A bad line raises an input error naming its line number and what is wrong with it."""
    path = _write(tmp_path, [GOOD, "", bad])
    with pytest.raises(InputError, match="line 3: ") as caught:
        load_questions(path)
    assert reason in str(caught.value)


def test_load_questions_refuses_an_empty_or_missing_file(tmp_path: Path):
    """A file with no questions, or no file at all, is an input error rather than an empty evaluation."""
    with pytest.raises(InputError, match="no questions"):
        load_questions(_write(tmp_path, [""]))
    with pytest.raises(InputError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


# A small hand-built evaluation: four answerable questions and two unanswerable ones.
SOURCES = {
    "essex": "Personal advisers keep in touch with care leavers and know them well. Caseloads are high.",
    "kent": "Managers review plans regularly. Return home interviews are timely and lead to safety plans.",
}
ESSEX_HIT = "Personal advisers keep in touch with care leavers and know them well."
KENT_HIT = "Return home interviews are timely and lead to safety plans."
NEAR_MISS = "Caseloads are high."
QUESTIONS = [
    Question("a1", "essex PAs?", True, "la_specific", (Gold("essex", ESSEX_HIT),)),
    Question("a2", "kent RHIs?", True, "la_specific", (Gold("kent", KENT_HIT),)),
    Question("a3", "essex again?", True, "thematic", (Gold("essex", ESSEX_HIT),)),
    Question("a4", "kent again?", True, "thematic", (Gold("kent", KENT_HIT),)),
    Question("u1", "the weather?", False, "unanswerable"),
    Question("u2", "lunch menu?", False, "unanswerable"),
]


def _excerpt(report_id: str, text: str) -> Excerpt:
    report = Report(report_id, f"Report on {report_id}", report_id.title(), "ilacs_inspection", "Ofsted", "2024-01-01")
    start = SOURCES[report_id].find(text)
    return Excerpt(text, report, "Section", 0.5, start, start + len(text), f"{report_id}:0")


class FixedAnswers:
    """A deterministic answerer: each question text maps to a fixed Answer, and every call is recorded."""

    def __init__(self) -> None:
        miss = _excerpt("essex", NEAR_MISS)
        self.answers = {
            "essex PAs?": Answer(True, "", [_excerpt("essex", ESSEX_HIT), miss]),  # rank 1
            "kent RHIs?": Answer(True, "", [miss, _excerpt("essex", KENT_HIT), _excerpt("kent", KENT_HIT)]),  # rank 3
            "essex again?": Answer(True, "", [miss] * 6 + [_excerpt("essex", ESSEX_HIT)]),  # rank 7: MRR only
            "kent again?": Answer(False, "nothing relevant"),  # a false abstention
            "the weather?": Answer(False, "not in the reports"),  # a correct abstention
            "lunch menu?": Answer(True, "", [_excerpt("kent", "Managers review plans regularly.")]),
        }
        self.asked: list[str] = []

    def __call__(self, question: str) -> Answer:
        self.asked.append(question)
        return self.answers[question]


def test_run_eval_asks_each_question_once_and_writes_rows_in_the_results_format():
    """Every question is asked once, and each row has exactly the keys `findings eval --out` writes."""
    answerer = FixedAnswers()
    run = run_eval(QUESTIONS, answerer, SOURCES.__getitem__)
    assert answerer.asked == [q.question for q in QUESTIONS]
    assert [r["id"] for r in run.rows] == [q.id for q in QUESTIONS]
    assert all(set(r) == {"id", "answered", "route", "reason", "excerpts", "latency_ms"} for r in run.rows)
    assert run.rows[0]["excerpts"][0] == {"report": "essex", "text": ESSEX_HIT, "section": "Section", "score": 0.5}
    assert all(r["latency_ms"] >= 0 for r in run.rows)
    json.dumps(run.rows)


def test_run_eval_metrics_on_a_hand_built_set():
    """Hits, MRR, abstention, verbatim share, counts and per-kind figures match the hand-worked values."""
    m = run_eval(QUESTIONS, FixedAnswers(), SOURCES.__getitem__).metrics
    assert (m.hit_at_1, m.hit_at_3, m.hit_at_5) == (0.25, 0.5, 0.5)
    assert m.mrr_at_10 == pytest.approx((1 + 1 / 3 + 1 / 7 + 0) / 4)
    assert (m.abstain_correct, m.false_abstention) == (0.5, 0.25)
    # 2 + 3 + 7 + 1 excerpts offered; one (Kent's sentence attributed to Essex) is not in its report.
    assert (m.answerable, m.unanswerable, m.excerpts) == (4, 2, 13)
    assert m.verbatim == pytest.approx(12 / 13)
    assert m.by_kind["la_specific"].hit_at_5 == 1.0
    assert m.by_kind["thematic"].hit_at_5 == 0.0
    assert m.by_kind["thematic"].mrr_at_10 == pytest.approx(1 / 14)
    assert m.by_kind["unanswerable"].abstain_correct == 0.5
    assert m.by_kind["unanswerable"].hit_at_5 is None


def test_run_eval_reads_each_report_source_once():
    """The source text callable is consulted once per report, however many excerpts cite it."""
    calls: list[str] = []

    def source(report_id: str) -> str:
        calls.append(report_id)
        return SOURCES[report_id]

    run_eval(QUESTIONS, FixedAnswers(), source)
    assert sorted(calls) == ["essex", "kent"]


def test_mrr_uses_the_rank_of_the_first_supporting_excerpt_within_ten():
    """MRR counts 1/rank of the first supporting excerpt, and 0 when it is ranked eleventh."""
    miss = ("essex", NEAR_MISS)
    rows = [
        _row("a1", [miss, ("essex", ESSEX_HIT), ("essex", ESSEX_HIT)]),
        _row("a2", [miss] * 10 + [("kent", KENT_HIT)]),
    ]
    m = metrics_from_rows(QUESTIONS[:2], rows, SOURCES.__getitem__)
    assert m.mrr_at_10 == pytest.approx((1 / 2 + 0) / 2)
    assert (m.hit_at_1, m.hit_at_3) == (0.0, 0.5)


def test_an_unanswered_row_offers_nothing_even_with_excerpts_listed():
    """Excerpts on a row with answered false count neither as hits nor as excerpts, and the row is an abstention."""
    rows = [_row("a1", [("essex", ESSEX_HIT)], answered=False), _row("u1", [("essex", ESSEX_HIT)], answered=False)]
    m = metrics_from_rows([QUESTIONS[0], QUESTIONS[4]], rows, SOURCES.__getitem__)
    assert (m.hit_at_1, m.false_abstention, m.abstain_correct, m.excerpts, m.verbatim) == (0.0, 1.0, 1.0, 0, None)


def test_latency_percentiles_and_excerpt_lengths_come_from_the_rows():
    """p50 and p95 interpolate over row latencies, and excerpt length is the mean in words and characters."""
    latencies = [10.0, 20.0, 30.0, 40.0, 50.0, 1000.0]
    rows = [_row(q.id, [("kent", KENT_HIT)], latency_ms=ms) for q, ms in zip(QUESTIONS, latencies, strict=True)]
    m = metrics_from_rows(QUESTIONS, rows, SOURCES.__getitem__)
    assert (m.latency_p50_ms, m.latency_p95_ms) == (35.0, 762.5)
    assert (m.mean_excerpt_words, m.mean_excerpt_chars) == (len(KENT_HIT.split()), len(KENT_HIT))


def test_percentile_interpolates_between_closest_ranks():
    """Percentiles follow linear interpolation, and a single value is every percentile."""
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0


def test_rows_that_do_not_match_the_questions_are_refused():
    """A results file missing a question, or with a malformed row, is an input error, not a silent zero."""
    with pytest.raises(InputError, match=r"no result for 1 \(a2\)"):
        metrics_from_rows(QUESTIONS[:2], [_row("a1", [])], SOURCES.__getitem__)
    with pytest.raises(InputError, match="needs id"):
        metrics_from_rows(QUESTIONS[:1], [{"id": "a1"}], SOURCES.__getitem__)
