"""What a learner reads in composed answers: the part of a passage about their question, and a real answer (not
"nothing matches") when a chatty or abbreviated question is about something the pack teaches."""

from __future__ import annotations

from certprep.content import Explainer
from certprep.tutor import Tutor
from certprep.tutor.compose import NEAREST_INTRO, answer_ask, compare, explainer_answer, focused_gist
from certprep.tutor.index import Hit
from certprep.tutor.modes import parse
from certprep.tutor.passages import Passage
from certprep.tutor.spelling import Speller


def _note(text: str) -> Passage:
    return Passage(id="note-x", kind="note", title="Alarms", text=text, domain=4, section="Key exam patterns")


def test_a_gist_keeps_the_first_sentence_and_the_sentence_about_the_question() -> None:
    text = (
        "An alarm has three states. Composite alarms combine several alarms into one. "
        "Anomaly detection learns a band from history. "
        "Set treat missing data to notBreaching for a sparse metric such as Lambda Errors."
    )
    quoted = focused_gist(_note(text), "alarm on lambda errors has missing data", 130)
    assert quoted.startswith("An alarm has three states.")
    assert "notBreaching" in quoted
    assert "Anomaly detection" not in quoted
    assert len(quoted) <= 130


def test_a_gist_without_a_query_reads_from_the_start() -> None:
    text = "First point here. Second point here. Third point about lambda."
    assert focused_gist(_note(text), "", 40) == "First point here. Second point here."


def test_shorthand_is_not_corrected_into_another_word() -> None:
    speller = Speller(["acts of the accounts", "developers deploy"])
    assert speller.fix("40 accts") == "40 accts"


def test_a_chatty_abbreviated_question_gets_an_answer_not_the_nearest_topics(tutor: Tutor) -> None:
    answer = tutor.answer("best way to give devs SSO access to 40 accts w/ our okta")
    assert not answer.text.startswith(NEAREST_INTRO)
    assert "permission set" in answer.text.lower()


def test_a_chatty_question_whose_explainer_both_readings_agree_on_is_answered(tutor: Tutor) -> None:
    # Half its words are chat ("keeps", "overnight", "itself"), but the explainer matcher and BM25 both rank the
    # storage autoscaling explainer first: the answer is that explainer, not a list of nearest topics.
    answer = tutor.answer("rds postgres keeps filling up its disk overnight, i want it to grow by itself")
    assert not answer.text.startswith(NEAREST_INTRO)
    assert "maximum storage threshold" in answer.text.lower()
    assert "10 percent" in answer.text


def test_why_bother_with_change_sets_is_answered(tutor: Tutor) -> None:
    answer = tutor.answer("why bother with change sets before updating a prod stack")
    assert not answer.text.startswith(NEAREST_INTRO)
    assert "change set" in answer.text.lower()


def test_nothing_matches_well_still_says_so_and_quotes_the_nearest_explainer_in_short(tutor: Tutor) -> None:
    answer = tutor.answer("which should i use for per-container cpu/mem metrics on ECS and EKS")
    assert answer.text.startswith(NEAREST_INTRO)
    assert "**The first of them, in short:**" in answer.text
    assert "container insights" in answer.text.lower()
    assert len(answer.text.split()) < 200


def test_an_error_code_question_opens_with_the_explainer_that_names_the_code(tutor: Tutor) -> None:
    answer = tutor.answer("alarm on lambda Errors sits in INSUFFICIENT_DATA most of the time, why")
    assert answer.hits[0].passage.kind == "explainer"
    assert "INSUFFICIENT_DATA" in answer.hits[0].passage.title
    assert "INSUFFICIENT_DATA" in answer.text.split("\n", 1)[0]


def test_a_related_explainer_is_named_by_its_whole_question() -> None:
    """Its question is what tells the learner why it is there; cut short, it lost the words that were asked about."""
    question = (
        "How do I respond automatically to a GuardDuty finding that instance credentials are used from outside AWS, "
        "without terminating the instance?"
    )
    explainer = Passage(id="explainer-x", kind="explainer", title=question, text="Revoke the role's sessions.")
    best = _note("An alarm has three states.")
    text, _ = answer_ask([Hit(best, 2.0), Hit(explainer, 1.0)], "guardduty credentials used outside aws")
    assert f"**{question}**" in text


def test_a_related_explainer_under_an_explainer_answer_keeps_its_deciding_second_sentence() -> None:
    """The first sentence of a related explainer names the fix; the one after it often holds the number asked for."""
    explainer = Explainer(
        id="d3-ex-hook-wait",
        domain=3,
        task="3.2",
        kind="troubleshoot",
        asks=("lifecycle hook never completes",),
        answer="The hook waits for CompleteLifecycleAction.",
        reasoning="Send it from the instance when the work is done.",
        references=("https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html",),
    )
    related = Passage(
        id="explainer-d3-ex-hook-timeout",
        kind="explainer",
        title="What is the lifecycle hook timeout?",
        text=(
            "A lifecycle hook holds the instance for its heartbeat timeout, one hour by default, and applies the "
            "default result when it expires, so long work must send heartbeats before then to keep the instance. "
            "The heartbeat timeout can be set from 30 to 7200 seconds, and heartbeats extend the wait to 48 hours."
        ),
    )
    text, _ = explainer_answer(explainer, _note("Hooks."), [], None, [related], "lifecycle hook timeout max 7200")
    assert "7200 seconds" in text.split("**Also relevant:**")[1]


def test_a_comparison_names_the_learners_sentence_apart_from_its_sides(tutor: Tutor) -> None:
    sides = ("sqs", "kinesis")
    text, _ = compare(tutor.index, sides, "", frozenset(), "we must replay a week of events")
    assert text.startswith("Comparing sqs and kinesis (we must replay a week of events).")
    text, _ = compare(tutor.index, sides, "", frozenset(), "for replaying a week of events")
    assert text.startswith("Comparing sqs and kinesis for replaying a week of events.")


def test_a_sentence_after_a_comparison_does_not_change_which_explainer_answers(tutor: Tutor) -> None:
    assert parse("sqs vs kinesis? we must replay a week").without_aside == "sqs vs kinesis?"
    assert parse("we run ecs. rolling vs blue/green").without_aside == "we run ecs. rolling vs blue/green"
    # The aside is the text after the comparison, even when an earlier sentence names a side too.
    assert parse("we use nlb. alb vs nlb? targets in one az get hammered").without_aside == "we use nlb. alb vs nlb?"
    assert parse("how do lifecycle hooks work").without_aside == "how do lifecycle hooks work"
    plain = tutor.answer("sqs vs kinesis?")
    aside = tutor.answer("sqs vs kinesis? we must replay a week of events")
    assert plain.hits[0].passage.kind == "explainer"
    assert aside.hits[0].passage.id == plain.hits[0].passage.id


def test_a_question_typed_straight_after_the_last_side_is_not_part_of_it() -> None:
    shift = parse("LambdaCanary10Percent5Minutes vs LambdaLinear10PercentEvery1Minute how do they shift traffic")
    assert shift.sides == ("LambdaCanary10Percent5Minutes", "LambdaLinear10PercentEvery1Minute")
    assert shift.aside == "how do they shift traffic"
    # The aside starts at the first clause even when the learner repeats its words later.
    repeated = parse("alb vs nlb how do they differ. how do they differ in cost")
    assert repeated.sides == ("alb", "nlb")
    assert repeated.aside == "how do they differ. how do they differ in cost"
    dash = parse("codeartifact upstream repo vs external connection - whats the diff, do i need both?")
    assert dash.sides == ("codeartifact upstream repo", "external connection")
    assert dash.without_aside == "codeartifact upstream repo vs external connection"
    comma = parse("sqs vs kinesis for lambda, do we need ordering")
    assert comma.sides == ("sqs", "kinesis")
    assert comma.context == "for lambda do we need ordering"
    # A side's own words stay: no clause starts inside "control tower account factory".
    assert parse("stacksets vs control tower account factory").sides == ("stacksets", "control tower account factory")


def test_security_group_and_nacl_abbreviations_find_their_comparison(tutor: Tutor) -> None:
    answer = tutor.answer("SG vs NACL again pls, for the exam")
    assert answer.hits[0].passage.kind == "explainer"
    assert "stateful" in answer.text.lower() and "stateless" in answer.text.lower()
