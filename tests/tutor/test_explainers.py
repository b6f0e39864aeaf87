"""Explainers first: the issue's learner questions get the authored answer they asked for, told like a tutor.

The pack here is the tiny test pack plus explainers written for this file: each of the issue's five questions has
its explainer and a decoy that shares its words but answers a different question (the answers the tutor used to
give), so a test passes only when the tutor tells the two apart.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from certprep.content import Pack, load_pack
from certprep.tutor import Tutor, TutorContext
from certprep.tutor.compose import NEAREST_INTRO
from tests.conftest import TINY_PACK
from tests.tutor.llm_server import FakeLLM

REF = "references: [https://docs.example.org/aws]\n  checked: 2026-12-01"

EXPLAINERS = f"""
- id: t-ex-canary-vs-linear
  domain: 1
  task: "1.1"
  kind: compare
  asks:
    - CodeDeploy canary or linear traffic shifting for a Lambda alias?
    - difference between LambdaCanary10Percent5Minutes and LambdaLinear10PercentEvery1Minute
  answer: >-
    Pick canary when one small slice of traffic should prove the version before the rest moves at once; pick linear
    when traffic should move in equal steps at a fixed interval.
  reasoning: Both shift the weights of a Lambda alias and roll back on a CloudWatch alarm.
  choose:
    - option: Canary
      when: one early check is enough
    - option: Linear
      when: exposure should grow step by step
  distractor: All-at-once fails the limit-exposure requirement.
  services: [AWS CodeDeploy, AWS Lambda]
  tags: [listing]
  {REF}

- id: t-ex-codedeploy-vs-beanstalk
  domain: 1
  task: "1.1"
  kind: compare
  asks:
    - CodeDeploy vs Elastic Beanstalk deployment options
    - should I deploy with CodeDeploy or Elastic Beanstalk
  answer: Beanstalk deploys only its own environments; CodeDeploy deploys to EC2, on-premises, Lambda and ECS.
  reasoning: Beanstalk owns the whole environment, CodeDeploy only the release.
  choose:
    - option: Elastic Beanstalk
      when: the platform should manage the environment
    - option: CodeDeploy
      when: you already run the compute
  distractor: Beanstalk for Lambda fails, it has no Lambda platform.
  services: [AWS CodeDeploy, AWS Elastic Beanstalk]
  tags: []
  {REF}

- id: t-ex-stacksets-vs-account-factory
  domain: 1
  task: "1.1"
  kind: compare
  asks:
    - Should I use CloudFormation StackSets or Control Tower Account Factory for new accounts?
    - account factory vs stack sets
  answer: >-
    Account Factory vends new accounts into the landing zone, while StackSets deploy stacks into existing accounts
    and Regions.
  reasoning: StackSets cannot create an account; Account Factory does not push stacks to accounts that exist.
  choose:
    - option: Control Tower Account Factory
      when: you need new governed accounts
    - option: CloudFormation StackSets
      when: the same resources must exist in many accounts and Regions
  distractor: Calling CreateAccount yourself leaves the account outside Control Tower.
  services: [AWS Control Tower, AWS CloudFormation]
  tags: []
  {REF}

- id: t-ex-account-factory-customisation
  domain: 1
  task: "1.1"
  kind: choose
  asks:
    - Account Factory Customization vs Customizations for Control Tower vs Account Factory for Terraform
    - how do I customise accounts that Control Tower Account Factory creates
  answer: Use AFC for blueprints, CfCT for CloudFormation and SCP pipelines, AFT for Terraform.
  reasoning: All three run after Account Factory creates the account.
  choose:
    - option: AFC
      when: a Service Catalog blueprint is enough
    - option: AFT
      when: the team works in Terraform
  distractor: Editing the landing zone's own stacks drifts Control Tower.
  services: [AWS Control Tower]
  tags: []
  {REF}

- id: t-ex-cross-account-observability
  domain: 1
  task: "1.2"
  kind: choose
  asks:
    - How do I see alarms, metrics and logs from many accounts in one monitoring account?
    - CloudWatch cross-account observability for an organization
  answer: >-
    Use CloudWatch cross-account observability: create a sink in one monitoring account and link every source
    account to it.
  reasoning: Links share telemetry in place, so alarms and dashboards in the monitoring account read every account.
  choose:
    - option: OAM sink and links
      when: operators need live alarms and dashboards
    - option: Log archive copies
      when: compliance needs retained copies
  distractor: A Lambda function copying metrics on a schedule fails least operational overhead.
  services: [Amazon CloudWatch]
  tags: []
  {REF}

- id: t-ex-security-events-central
  domain: 1
  task: "1.2"
  kind: choose
  asks:
    - How do I collect security findings from every account in one place?
    - aggregate GuardDuty and Security Hub findings across accounts
  answer: Make one account the delegated administrator of Security Hub and GuardDuty for the organization.
  reasoning: The delegated administrator sees the findings of every member account.
  choose:
    - option: Security Hub delegated administrator
      when: findings of many services must be seen together
    - option: GuardDuty delegated administrator
      when: only threat findings matter
  distractor: Forwarding findings by email fails the central-view requirement.
  services: [AWS Security Hub, Amazon GuardDuty]
  tags: []
  {REF}

- id: t-ex-rds-fastest-cross-region
  domain: 1
  task: "1.2"
  kind: choose
  asks:
    - Which cross-Region disaster recovery gives an RDS database the lowest RTO?
    - RDS database recovery in another Region within minutes
  answer: >-
    Promote a cross-Region read replica, or use Aurora Global Database and fail over to its secondary Region, which
    recovers in about a minute.
  reasoning: Both keep a running, nearly current copy in the other Region, so recovery is a promotion, not a restore.
  choose:
    - option: Aurora Global Database
      when: the engine is Aurora and RTO is about a minute
    - option: Cross-Region read replica
      when: the engine is RDS for MySQL, PostgreSQL or MariaDB
  distractor: Multi-AZ fails the cross-Region requirement; it protects one Region only.
  services: [Amazon RDS, Amazon Aurora]
  tags: []
  {REF}

- id: t-ex-dr-strategies
  domain: 1
  task: "1.2"
  kind: compare
  asks:
    - backup and restore vs pilot light vs warm standby vs multi-site active/active
    - the four disaster recovery strategies
  answer: The four strategies trade cost for recovery time, from backup and restore to multi-site active/active.
  reasoning: The more runs in the recovery Region, the lower the RTO and the higher the bill.
  choose:
    - option: Backup and restore
      when: hours of RTO are fine
    - option: Multi-site active/active
      when: near-zero RTO is required
  distractor: Picking active/active for a relaxed RTO fails the cost requirement.
  services: [AWS Elastic Disaster Recovery]
  tags: []
  {REF}

- id: t-ex-scp-allow-access-denied
  domain: 1
  task: "1.2"
  kind: troubleshoot
  asks:
    - My SCP allows s3:* but developers still get AccessDenied
    - service control policy allow does not fix AccessDenied
  answer: >-
    An SCP never grants anything, so an identity-based or resource-based policy must still allow the action.
  reasoning: An SCP only sets the most an account's principals may be allowed.
  distractor: Adding another allowing SCP changes nothing when the role's own policy lacks the action.
  services: [AWS Organizations, AWS IAM]
  tags: []
  {REF}

- id: t-ex-scp-every-level
  domain: 1
  task: "1.2"
  kind: why
  asks:
    - Why must an SCP allow an action at every level from the root to the account?
    - SCP inheritance from root and OUs
  answer: An action must be allowed by an SCP at the root, at every OU on the path and at the account.
  reasoning: Each level filters what the level below may use.
  distractor: An allow at the account alone fails when a parent OU omits the action.
  services: [AWS Organizations]
  tags: []
  {REF}
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    root = tmp_path_factory.mktemp("packs") / "tiny"
    shutil.copytree(TINY_PACK, root)
    original = (TINY_PACK / "explainers" / "d1.yaml").read_text(encoding="utf-8")
    (root / "explainers" / "d1.yaml").write_text(original.rstrip() + "\n" + EXPLAINERS, encoding="utf-8")
    blueprint = root / "blueprint.yaml"
    services = sorted(_services())
    text = blueprint.read_text(encoding="utf-8").replace(
        "additional_services: [top]", f"additional_services: [top, {', '.join(services)}]"
    )
    blueprint.write_text(text, encoding="utf-8")
    return load_pack(root)


def _services() -> set[str]:
    """Every service the explainers above name: the blueprint must list them."""
    return {name.strip() for found in re.findall(r"services: \[([^\]]*)\]", EXPLAINERS) for name in found.split(",")}


@pytest.fixture(scope="module")
def tutor(pack: Pack) -> Tutor:
    return Tutor(pack)


def _lead(text: str) -> str:
    return text.split("\n", 1)[0]


@pytest.mark.parametrize(
    ("query", "says", "not_says"),
    [
        (
            "When should I use CodeDeploy canary vs linear for Lambda?",
            "Pick canary when one small slice",
            "Beanstalk",
        ),
        ("StackSets vs Control Tower Account Factory", "Account Factory vends new accounts", "AFC for blueprints"),
        ("How do I get CloudWatch alarms from 50 accounts into one place?", "cross-account observability", "Security"),
        ("Fastest-RTO DR for RDS across Regions", "Aurora Global Database", "The four strategies"),
        (
            "attached an SCP that allows s3:* but devs still get AccessDenied — why?",
            "An SCP never grants anything",
            "at every OU",
        ),
    ],
)
def test_the_issues_questions_get_the_answer_they_asked_for(tutor: Tutor, query: str, says: str, not_says: str) -> None:
    answer = tutor.answer(query)
    assert says in _lead(answer.text), answer.text
    assert not_says not in answer.text
    assert answer.hits[0].passage.kind == "explainer"
    assert answer.text.count("[1]") == 1  # the answer, cited once: the explainer


def test_a_comparison_keeps_its_context_and_every_side() -> None:
    from certprep.tutor import parse

    request = parse("When should I use CodeDeploy canary vs linear for Lambda?")
    assert request.mode == "compare"
    assert request.sides == ("CodeDeploy canary", "linear")
    assert request.context == "for Lambda"
    three = parse("Beanstalk deployment policies: rolling vs rolling with additional batch vs immutable")
    assert three.sides == ("rolling", "rolling with additional batch", "immutable")
    assert three.context == "Beanstalk deployment policies"
    assert parse("should I use Secrets Manager or Parameter Store for DB passwords?").sides == (
        "Secrets Manager",
        "Parameter Store",
    )
    # A sentence around the comparison is its context, not part of a side.
    after = parse("alb vs nlb for cross zone? our nlb targets in one az are getting hammered")
    assert after.sides == ("alb", "nlb")
    assert after.context == "for cross zone our nlb targets in one az are getting hammered"
    before = parse("we run ecs on fargate. rolling vs blue/green?")
    assert (before.sides, before.context) == (("rolling", "blue/green"), "we run ecs on fargate")
    assert parse("node.js vs python for lambda").sides == ("node.js", "python")


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("ECS task stops with CannotPullContainerError", ("CannotPullContainerError",)),
        ("stack stuck in UPDATE_ROLLBACK_FAILED", ("UPDATE_ROLLBACK_FAILED",)),
        ("devs get AccessDenied on s3", ("AccessDenied",)),
        ("how do I deploy CloudFormation StackSets", ()),
    ],
)
def test_error_names_and_codes_are_read_literally(query: str, errors: tuple[str, ...]) -> None:
    from certprep.tutor import parse

    assert parse(query).errors == errors


def test_typos_and_chatty_wording_still_find_the_explainer(tutor: Tutor) -> None:
    typo = tutor.answer("when shuold i use codedeploy canray vs lienar for lambda")
    assert "Pick canary" in _lead(typo.text)
    chatty = tutor.answer("hey, quick question: my devs get access denied even though our SCP allows s3:*, why??")
    assert "An SCP never grants anything" in _lead(chatty.text)


def test_a_compare_explainer_lists_when_to_choose_each_side_without_a_table(tutor: Tutor) -> None:
    text = tutor.answer("StackSets vs Control Tower Account Factory").text
    assert "**When to choose each:**" in text
    assert "- **Control Tower Account Factory**: you need new governed accounts." in text
    assert "- **CloudFormation StackSets**: the same resources" in text
    assert "**The usual distractor:**" in text
    assert not any(line.lstrip().startswith("|") for line in text.splitlines())


def test_the_answer_reads_answer_reasoning_practise_study_references(tutor: Tutor, pack: Pack) -> None:
    answer = tutor.answer("ls -a vs ls -la?")
    text = answer.text
    order = [text.index(part) for part in ("Both show hidden files", "The -a flag decides", "**Practise this:**")]
    order += [text.index("**Study:**"), text.index("**References:**")]
    assert order == sorted(order)
    practise = text.split("**Practise this:**")[1].split("**Study:**")[0]
    codes = re.findall(r"\*\*(Q-[0-9A-Z]+)\*\*", practise)
    assert codes and len(codes) <= 3
    assert {pack.code("tiny-list-hidden"), pack.code("tiny-change-home")} <= set(codes)
    study = next(hit.passage for hit in answer.hits if hit.passage.kind == "note")
    assert study.domain == 1
    assert len(text.split()) < 230  # read in about a minute


def test_practise_this_never_offers_a_question_of_a_running_exam(tutor: Tutor, pack: Pack) -> None:
    context = TutorContext(blocked=frozenset({"tiny-list-hidden"}))
    answer = tutor.answer("ls -a vs ls -la?", context)
    assert pack.code("tiny-list-hidden") not in answer.text
    assert pack.code("tiny-change-home") in answer.text
    assert all(hit.passage.question_id != "tiny-list-hidden" for hit in answer.hits)
    # Retired and pretest questions are not practice either.
    vi = tutor.answer("vi says E37: No write since last change").text
    assert pack.code("tiny-vi-save") in vi
    assert pack.code("tiny-vi-insert") not in vi


def test_the_sealed_room_and_the_refusal_still_come_first(tutor: Tutor, pack: Pack) -> None:
    sealed = TutorContext(sealed="A timed exam is running.")
    answer = tutor.answer("StackSets vs Control Tower Account Factory", sealed)
    assert answer.refused
    assert answer.text == "A timed exam is running."
    question = pack.question("tiny-list-hidden")
    assert question is not None
    blocked = TutorContext(blocked=frozenset({question.id}))
    assert tutor.answer(question.stem, blocked).refused


QUERIES = (
    "When should I use CodeDeploy canary vs linear for Lambda?",
    "ls -a vs ls -la?",
    "how do I list hidden files",
    "compare ls flags",
    "How do I rotate the colour theme of dashboards in kiosk mode on CloudWatch?",
)


@pytest.mark.parametrize("query", QUERIES)
def test_no_scores_no_authoring_ids_and_clean_markdown(tutor: Tutor, pack: Pack, query: str) -> None:
    text = tutor.answer(query).text
    assert "score" not in text.lower()
    for question in pack.questions:
        assert question.id not in text
    for explainer in pack.explainers:
        assert explainer.id not in text
    assert "- - " not in text
    assert not any(line.lstrip().startswith("|") for line in text.splitlines())


def test_titles_are_cut_at_a_word_boundary() -> None:
    from certprep.tutor.passages import shorten

    assert shorten("A company's Amazon API Gateway REST API invokes a function", 30) == "A company's Amazon API…"
    assert shorten("short enough", 30) == "short enough"


def test_when_nothing_matches_well_it_says_so_and_offers_the_nearest_topics(tutor: Tutor) -> None:
    answer = tutor.answer("How do I rotate the colour theme of dashboards in kiosk mode on CloudWatch?")
    assert answer.text.startswith(NEAREST_INTRO)
    assert answer.hits
    assert "How do I see alarms, metrics and logs from many accounts in one monitoring account?" in answer.text
    nothing = tutor.answer("qwertyuiop zxcvbnm")
    assert "found nothing" in nothing.text
    assert nothing.hits == ()


def test_the_json_shape_is_unchanged_for_explainer_answers(tutor: Tutor) -> None:
    data = tutor.answer("ls -a vs ls -la?").to_json("tiny")
    assert set(data) == {"mode", "answer", "passages"}
    assert data["passages"][0]["kind"] == "explainer"
    assert all(set(p) == {"id", "kind", "title", "text", "score", "url"} for p in data["passages"])
    assert data["passages"][0]["url"] == f"/tutor/sources/tiny/{data['passages'][0]['id']}"
    scores = [p["score"] for p in data["passages"]]
    assert scores == sorted(scores, reverse=True)


def test_the_model_is_grounded_in_the_explainer(pack: Pack, fake_llm: FakeLLM) -> None:
    from certprep.tutor import LLMConfig

    tutor = Tutor(pack, llm=LLMConfig(url=fake_llm.url, model="local", timeout=5))
    answer = tutor.answer("StackSets vs Control Tower Account Factory")
    assert answer.source == "llm"
    system, user = fake_llm.requests[-1]["messages"]
    assert "(explainer)" in system["content"]
    assert (
        "[1] Should I use CloudFormation StackSets or Control Tower Account Factory for new accounts? (explainer)"
        in (user["content"])
    )
    assert "Account Factory vends new accounts" in user["content"]


def test_explainer_passages_are_searchable_and_citable(tutor: Tutor, pack: Pack) -> None:
    passages = [p for p in tutor.index.passages if p.kind == "explainer"]
    assert len(passages) == len(pack.explainers)
    first = passages[0]
    assert first.title == pack.explainers[0].asks[0]
    assert pack.explainers[0].asks[1] in first.keywords
    assert tutor.index.by_id[first.id] is first


def test_tiny_pack_explainers_answer_directly() -> None:
    tutor = Tutor(load_pack(Path(TINY_PACK)))
    answer = tutor.answer("why can't I quit vi with :q")
    assert _lead(answer.text).startswith("vi refuses :q while the buffer has unsaved changes")
