"""Learner simulation: does adaptive practice beat random practice, and is the readiness prediction calibrated?

Run: python -m bench.learning_sim [--learners N] [--seed S]   (results go in docs/benchmarks.md; not a test)

Simulated learners answer real DOP-C02 bank questions. Each has a true ability per task statement; answering a
question teaches a little (most when the question is new and near the learner's level) and what was learned fades
between days. The product only sees the answers, exactly as it would for a person.

Strategies compared, each with the same 40 questions a day:

- adaptive: two 20-question "practise my weak spots" sessions a day, picked by certprep.learning.adaptive from the
  mastery model fitted to the learner's answers so far;
- random: two 20-question sessions of random questions from the whole bank, avoiding the last three sessions'
  questions (what "custom" practice does);
- seven-day plan: the seeds' intensive week repeated: days 1-5 drill one domain each in weight order (the two
  lightest domains share day 5), day 6 a full 75-question mock, day 7 half the day on the mock's weakest domain and
  half mixed;
- repeats: the learner who retakes the practice tests: each session is 80% questions already seen (any, at random)
  and 20% new ones, so after a few days most answers are to questions met before;
- cycle: the learner who owns a fixed set of practice questions (CYCLE_BANK of the bank, 398 by default, the size of
  the first DOP-C02 bank) and goes through it again and again in the same order at 40 a day: from day 11 on every
  answer is a repeat of a question last seen ten days before.

Learners remember questions: once a learner has answered a question and read its explanation, a later answer to it
is right with probability m + (1 − m) · P(skill), where m, the chance they still recall that question's answer,
follows FSRS's published default forgetting curve for one item reviewed at each exposure (--memory-scale stretches
the curve's time axis: 2 = twice as durable as that, 0.5 = half). The product's readiness model assumes the FSRS curve
itself, so --memory-scale 2 and 0.5 show what happens when real memory is stronger or weaker than it assumes.

Measured: questions answered until the learner's true pass probability (over random full exams, scored by the real
scorer) reaches 0.9; and, at checkpoints, the readiness prediction against the outcome of one simulated real exam
(Brier score, expected calibration error with ten equal-width bins, mean error), with the memory term (as shipped) and
without it (every answer read as an answer to a new question: the model before issue #29). The real exam's questions
are new to the learner, so memory of bank questions does not help there.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import platform
import random
import statistics
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fsrs import Card

from certprep.content import load_pack
from certprep.content.models import Pack, Question
from certprep.engine.forms import FormRequest, assemble_form
from certprep.engine.scoring import ScoredItem, author_difficulty, score_form
from certprep.learning.adaptive import Candidate, Seen, pick_questions
from certprep.learning.mastery import LearnerModel, ModelSettings, answer_evidence, by_task, fit, masteries, task_infos
from certprep.learning.memory import exposure_memories
from certprep.learning.readiness import ExamShape, exam_shape, normal_cdf, predict, raw_to_scaled_table
from certprep.learning.srs import Graded, new_card, question_cards, question_scheduler, retrievability, review

ROOT = Path(__file__).resolve().parent.parent
PACK = load_pack(ROOT / "src" / "certprep" / "packs" / "dop-c02")
START = dt.datetime(2026, 1, 5, 18, 0, tzinfo=dt.UTC)

# The simulated world. These are assumptions about people, stated here and in docs/benchmarks.md.
DAILY_QUESTIONS = 40
SESSION = 20
LEARNER_MEAN = (0.0, 0.5)  # overall starting ability ~ N(0, 0.5²) logits: most start well below the cut (1.0)
TASK_SPREAD = 0.8  # a learner's task abilities vary around their overall ability with this SD
AUTHOR_ERROR = 0.4  # true item difficulty = author's rating + N(0, 0.4²)
LEARNING_RATE = 0.08  # ability gained from one new question at the best level, with full room to grow
CEILING = 3.0  # an expert's task ability; gains shrink as the learner approaches it
REPEAT_VALUE = 0.35  # a question seen before teaches this fraction of a new one
FORGET_DAYS = 30.0  # gains above the starting level fade with this time constant...
STABILITY_PER_QUESTION = 0.05  # ...which grows by 5% per question practised on the task (spaced practice sticks)
MAX_DAYS = 100
TARGET = 0.9
REPEAT_SHARE = 0.8  # the "repeats" learner: this share of each session is questions already seen
CYCLE_BANK = 398  # the "cycle" learner's own set of practice questions, gone through in order again and again
MEMORY = question_scheduler()  # the world's item memory: FSRS's default parameters, one Good review per exposure
MEMORY_SCALE = 1.0  # --memory-scale: real memory lasts this many times as long as the FSRS curve says


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


@dataclass
class World:
    """The bank as the simulation sees it: true difficulties beside the author's."""

    live: list[Question]
    true_b: dict[str, float]
    author_b: dict[str, float]
    shape: ExamShape
    forms: list[tuple[list[tuple[str, float]], int]]  # (task, true b) of the scored items, raw cut
    cycle: list[Question] = field(default_factory=list)  # the "cycle" learner's practice set, in its order

    def by_domain(self, domain: int) -> list[Question]:
        return [q for q in self.live if q.domain == domain]


def build_world(pack: Pack, seed: int, forms: int = 40) -> World:
    rng = random.Random(seed)
    live = [q for q in pack.questions if q.status == "live"]
    author = {q.id: author_difficulty(q.difficulty) for q in pack.questions}
    true_b = {q.id: author[q.id] + rng.gauss(0, AUTHOR_ERROR) for q in pack.questions}
    blueprint = pack.blueprint
    infos = task_infos(
        [(d.id, t.id) for d in blueprint.domains for t in d.tasks], [(q.task, author[q.id]) for q in live]
    )
    shape = exam_shape(
        [(d.id, d.weight, [t.id for t in d.tasks]) for d in blueprint.domains],
        blueprint.questions.scored,
        infos,
        (blueprint.scale.min, blueprint.scale.max, blueprint.scale.passing),
    )
    exam_forms = []
    for form_seed in range(forms):
        form = assemble_form(pack, FormRequest(mode="full"), 10_000 + form_seed)
        scored = [pack.question(item.question_id) for item in form.items if item.scored]
        items = [(q.task, true_b[q.id]) for q in scored if q is not None]
        table = raw_to_scaled_table([author[q.id] for q in scored if q is not None], 100, 1000, 750)
        cut = next((r for r, value in enumerate(table) if value >= 750), len(table))
        exam_forms.append((items, cut))
    cycle = rng.sample(live, min(CYCLE_BANK, len(live)))
    return World(live, true_b, author, shape, exam_forms, cycle)


@dataclass
class Learner:
    start: dict[str, float]
    theta: dict[str, float]
    practised: dict[str, int] = field(default_factory=dict)
    seen: dict[str, Seen] = field(default_factory=dict)
    history: list[tuple[str, str, bool, dt.datetime]] = field(default_factory=list)
    recent_sessions: list[set[str]] = field(default_factory=list)
    answered: int = 0
    memory: dict[str, Card] = field(default_factory=dict)  # what the learner remembers of each question seen


def recall(learner: Learner, question_id: str, now: dt.datetime) -> float:
    """The chance the learner still recalls the answer of a question seen before (0 for a new one)."""
    card = learner.memory.get(question_id)
    if card is None or card.last_review is None or MEMORY_SCALE == 0:
        return 0.0
    stretched = card.last_review + (now - card.last_review) / MEMORY_SCALE
    return retrievability(MEMORY, card, stretched)


def new_learner(rng: random.Random, tasks: Sequence[str]) -> Learner:
    overall = rng.gauss(*LEARNER_MEAN)
    start = {task: overall + rng.gauss(0, TASK_SPREAD) for task in tasks}
    return Learner(start=start, theta=dict(start))


def answer(learner: Learner, world: World, question: Question, now: dt.datetime, rng: random.Random) -> bool:
    """The learner answers; then reads the explanation and learns a little."""
    theta = learner.theta[question.task]
    p = sigmoid(theta - world.true_b[question.id])
    remembered = recall(learner, question.id, now)
    correct = rng.random() < remembered + (1 - remembered) * p
    room = max(0.0, CEILING - theta) / CEILING
    challenge = 4 * p * (1 - p)  # most is learned from questions neither trivial nor hopeless
    novelty = REPEAT_VALUE if question.id in learner.seen else 1.0
    learner.theta[question.task] = theta + LEARNING_RATE * room * challenge * novelty
    learner.practised[question.task] = learner.practised.get(question.task, 0) + 1
    previous = learner.seen.get(question.id)
    learner.seen[question.id] = Seen(now, (previous.times + 1) if previous else 1)
    learner.history.append((question.id, question.task, correct, now))
    learner.answered += 1
    card = learner.memory.get(question.id) or new_card(question.id, now)
    learner.memory[question.id] = review(MEMORY, card, 3, now)  # the explanation shows the key either way
    return correct


def forget(learner: Learner, days: float = 1.0) -> None:
    for task, theta in learner.theta.items():
        gained = theta - learner.start[task]
        if gained > 0:
            stability = FORGET_DAYS * (1 + STABILITY_PER_QUESTION * learner.practised.get(task, 0))
            learner.theta[task] = learner.start[task] + gained * math.exp(-days / stability)


def true_pass_probability(learner: Learner, world: World) -> float:
    """P(pass) over the fixed random full-exam forms (normal approximation of each form's number right)."""
    total = 0.0
    for items, cut in world.forms:
        ps = [sigmoid(learner.theta[task] - b) for task, b in items]
        mean = sum(ps)
        sd = math.sqrt(sum(p * (1 - p) for p in ps)) or 1e-9
        total += 1.0 - normal_cdf((cut - 0.5 - mean) / sd)
    return total / len(world.forms)


def exact_pass_probability(learner: Learner, world: World) -> float:
    """The same probability with the exact Poisson-binomial distribution (used to check the approximation)."""
    total = 0.0
    for items, cut in world.forms:
        dist = [1.0]
        for task, b in items:
            p = sigmoid(learner.theta[task] - b)
            nxt = [0.0] * (len(dist) + 1)
            for k, value in enumerate(dist):
                nxt[k] += value * (1 - p)
                nxt[k + 1] += value * p
            dist = nxt
        total += sum(dist[cut:])
    return total / len(world.forms)


def sit_exam(learner: Learner, world: World, pack: Pack, rng: random.Random) -> bool:
    """One real exam: a new form, answers drawn from the true abilities, scored by the product's scorer."""
    form = assemble_form(pack, FormRequest(mode="full"), rng.randrange(2**31))
    items = []
    for item in form.items:
        question = pack.question(item.question_id)
        if question is None or not item.scored:
            continue
        correct = rng.random() < sigmoid(learner.theta[question.task] - world.true_b[question.id])
        items.append(ScoredItem(question.id, question.domain, world.author_b[question.id], correct))
    return score_form(items, {d.id: d.name for d in pack.blueprint.domains}).passed


# -- what the product sees and predicts -------------------------------------------------------------------------


MODEL = ModelSettings()  # the product's defaults; --half-life replaces them


def product_model(learner: Learner, world: World, now: dt.datetime, memory_term: bool = True) -> LearnerModel:
    """The model the product fits to the learner's answers; ``memory_term=False`` is the model before repeats were
    read through the memory term (every answer as if to a new question)."""
    blueprint = PACK.blueprint
    infos = task_infos(
        [(d.id, t.id) for d in blueprint.domains for t in d.tasks],
        [(q.task, world.author_b[q.id]) for q in world.live],
    )
    graded = [Graded(qid, at, correct) for qid, _, correct, at in learner.history]
    memories = exposure_memories(graded) if memory_term else [0.0] * len(graded)
    evidence = [
        answer_evidence(task, world.author_b[qid], correct, at, memory)
        for (qid, task, correct, at), memory in zip(learner.history, memories, strict=True)
    ]
    return fit(infos, evidence, now, MODEL)


def predicted_pass(learner: Learner, world: World, now: dt.datetime, memory_term: bool = True) -> float:
    return predict(product_model(learner, world, now, memory_term), world.shape).pass_probability


def first_time_share(learner: Learner) -> float:
    seen: set[str] = set()
    first = 0
    for qid, _, _, _ in learner.history:
        first += qid not in seen
        seen.add(qid)
    return first / len(learner.history) if learner.history else 1.0


# -- strategies: each returns the questions of one session ----------------------------------------------------


def random_session(
    learner: Learner,
    world: World,
    now: dt.datetime,
    rng: random.Random,
    count: int,
    pool: Sequence[Question] | None = None,
) -> list[Question]:
    pool = list(pool if pool is not None else world.live)
    recent = set().union(*learner.recent_sessions[-3:]) if learner.recent_sessions else set()
    fresh = [q for q in pool if q.id not in recent]
    stale = [q for q in pool if q.id in recent]
    rng.shuffle(fresh)
    rng.shuffle(stale)
    return (fresh + stale)[:count]


def repeats_session(learner: Learner, world: World, now: dt.datetime, rng: random.Random, count: int) -> list[Question]:
    """Mostly questions already seen (REPEAT_SHARE, at random), the rest new ones."""
    by_id = {q.id: q for q in world.live}
    seen = [by_id[qid] for qid in learner.seen if qid in by_id]
    unseen = [q for q in world.live if q.id not in learner.seen]
    repeats = rng.sample(seen, min(len(seen), round(count * REPEAT_SHARE)))
    fresh = rng.sample(unseen, min(len(unseen), count - len(repeats)))
    session = repeats + fresh
    rng.shuffle(session)
    return session


def cycle_session(learner: Learner, world: World, count: int) -> list[Question]:
    """The next ``count`` questions of the learner's own practice set, starting over at its end."""
    start = learner.answered % len(world.cycle)
    return [world.cycle[(start + offset) % len(world.cycle)] for offset in range(count)]


def adaptive_session(
    learner: Learner, world: World, now: dt.datetime, rng: random.Random, count: int
) -> list[Question]:
    model = product_model(learner, world, now)
    rows = by_task(masteries(model))
    cards = question_cards((Graded(qid, at, correct) for qid, _, correct, at in learner.history), question_scheduler())
    due = {qid for qid, card in cards.items() if card.due <= now}
    candidates = [Candidate(q.id, q.task, world.author_b[q.id]) for q in world.live]
    picks = pick_questions(
        candidates, rows, world.shape.seats, count, now, learner.seen, due, seed=rng.randrange(2**31)
    )
    by_id = {q.id: q for q in world.live}
    return [by_id[pick.question_id] for pick in picks]


def domain_order(pack: Pack) -> list[list[int]]:
    """The seven-day plan's study days: domains by weight, heaviest first; the two lightest share day 5."""
    ordered = sorted(pack.blueprint.domains, key=lambda d: (-d.weight, d.id))
    days = [[d.id] for d in ordered[:4]] + [[d.id for d in ordered[4:]]]
    return days


def plan_day(
    learner: Learner, world: World, now: dt.datetime, rng: random.Random, day: int, state: dict[str, int]
) -> list[list[Question]]:
    """One day of the seven-day plan, as sessions."""
    index = day % 7
    if index < 5:
        domains = domain_order(PACK)[index]
        pool = [q for q in world.live if q.domain in domains]
        return [random_session(learner, world, now, rng, DAILY_QUESTIONS, pool)]
    if index == 5:
        form = assemble_form(PACK, FormRequest(mode="full"), rng.randrange(2**31))
        questions = [q for item in form.items if (q := PACK.question(item.question_id)) is not None]
        return [questions]
    weakest = state.get("weakest", 1)
    pool = world.by_domain(weakest)
    return [random_session(learner, world, now, rng, SESSION, pool), random_session(learner, world, now, rng, SESSION)]


@dataclass(frozen=True)
class Checkpoint:
    """One moment of a learner's run: the product's prediction, the truth, and what the prediction said it rested on."""

    predicted: float  # P(pass) as the product predicts it (with the memory term)
    true: float  # the learner's true pass probability
    passed: bool  # the outcome of one simulated real exam of new questions, taken then
    predicted_before: float  # P(pass) without the memory term (every answer read as an answer to a new question)
    first_share: float  # the share of the answers so far that were first answers
    first_evidence: float  # the share of the answers' weight in the fit that first answers carry (the product's)
    warned: bool  # the product says the prediction rests on repeats


@dataclass
class Outcome:
    questions: int | None
    days: int
    checkpoints: list[Checkpoint]


def checkpoint(learner: Learner, world: World, now: dt.datetime, rng: random.Random) -> Checkpoint:
    prediction = predict(product_model(learner, world, now), world.shape)
    return Checkpoint(
        predicted=prediction.pass_probability,
        true=true_pass_probability(learner, world),
        passed=sit_exam(learner, world, PACK, rng),
        predicted_before=predicted_pass(learner, world, now, memory_term=False),
        first_share=first_time_share(learner),
        first_evidence=1.0 if prediction.first_time_evidence is None else prediction.first_time_evidence,
        warned=prediction.rests_on_repeats,
    )


def run(strategy: str, learner: Learner, world: World, rng: random.Random, calibrate_on: set[int]) -> Outcome:
    plan_state: dict[str, int] = {}
    checkpoints: list[Checkpoint] = []
    for day in range(MAX_DAYS):
        now = START + dt.timedelta(days=day)
        sessions = plan_day(learner, world, now, rng, day, plan_state) if strategy == "plan" else []
        moment = now
        reached = None
        for part in range(len(sessions) if strategy == "plan" else DAILY_QUESTIONS // SESSION):
            if strategy == "adaptive":
                questions = adaptive_session(learner, world, moment, rng, SESSION)
            elif strategy == "random":
                questions = random_session(learner, world, moment, rng, SESSION)
            elif strategy == "repeats":
                questions = repeats_session(learner, world, moment, rng, SESSION)
            elif strategy == "cycle":
                questions = cycle_session(learner, world, SESSION)
            else:
                questions = sessions[part]
            results: dict[int, list[bool]] = {}
            for question in questions:
                moment += dt.timedelta(minutes=2)
                results.setdefault(question.domain, []).append(answer(learner, world, question, moment, rng))
                if reached is None and learner.answered % 10 == 0 and true_pass_probability(learner, world) >= TARGET:
                    reached = learner.answered
            learner.recent_sessions.append({q.id for q in questions})
            if strategy == "plan" and day % 7 == 5:
                plan_state["weakest"] = min(results, key=lambda d: sum(results[d]) / len(results[d]))
        if reached is not None:
            return Outcome(reached, day + 1, checkpoints)
        if day in calibrate_on:
            checkpoints.append(checkpoint(learner, world, moment, rng))
        forget(learner)
    return Outcome(None, MAX_DAYS, checkpoints)


def calibration(rows: Sequence[tuple[float, float, bool]], bins: int = 10) -> tuple[float, float, float, float]:
    """Brier score, ECE against exam outcomes, ECE against the true probabilities, and the mean outcome."""
    brier = statistics.fmean((p - (1.0 if passed else 0.0)) ** 2 for p, _, passed in rows)
    ece_outcome = ece_true = 0.0
    for index in range(bins):
        inside = [r for r in rows if index / bins <= r[0] < (index + 1) / bins or (index == bins - 1 and r[0] == 1.0)]
        if not inside:
            continue
        share = len(inside) / len(rows)
        predicted = statistics.fmean(r[0] for r in inside)
        ece_outcome += share * abs(predicted - statistics.fmean(1.0 if r[2] else 0.0 for r in inside))
        ece_true += share * abs(predicted - statistics.fmean(r[1] for r in inside))
    return brier, ece_outcome, ece_true, statistics.fmean(1.0 if r[2] else 0.0 for r in rows)


def main(argv: Sequence[str] | None = None) -> None:
    global MODEL, MEMORY_SCALE, CYCLE_BANK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--half-life", type=float, default=None, help="Override the model's evidence half-life.")
    parser.add_argument(
        "--learning-rates",
        default=None,
        help="Override the model's learning rates per answer, comma-separated (one value: a fixed rate for everyone).",
    )
    parser.add_argument("--repeat-aging", type=float, default=None, help="Override the model's repeat_aging.")
    parser.add_argument(
        "--rate-prior", default=None, help="Prior weights of the learning rates, comma-separated (default equal)."
    )
    parser.add_argument(
        "--repeat-rate", type=float, default=None, help="Override the model's repeat_rate (one rate for repeats)."
    )
    parser.add_argument(
        "--shared-gains",
        action="store_true",
        help="The model before 2026-12-03: the task prior ties today's abilities, so practice lifts every task.",
    )
    parser.add_argument(
        "--strategies",
        default="adaptive,random,plan,repeats,cycle",
        help="Comma-separated: adaptive, random, plan, repeats, cycle.",
    )
    parser.add_argument(
        "--cycle-bank", type=int, default=CYCLE_BANK, help="Questions in the cycle learner's own practice set."
    )
    parser.add_argument(
        "--memory-scale",
        type=float,
        default=1.0,
        help="Real item memory lasts this many times the FSRS curve (0: learners remember no question).",
    )
    args = parser.parse_args(argv)
    CYCLE_BANK = args.cycle_bank
    if args.half_life is not None:
        MODEL = ModelSettings(half_life_days=args.half_life)
    if any(value is not None for value in (args.learning_rates, args.repeat_aging, args.repeat_rate, args.rate_prior)):
        rates = tuple(float(rate) for rate in args.learning_rates.split(",")) if args.learning_rates else None
        MODEL = ModelSettings(
            half_life_days=MODEL.half_life_days,
            learning_rates=rates or MODEL.learning_rates,
            repeat_aging=MODEL.repeat_aging if args.repeat_aging is None else args.repeat_aging,
            repeat_rate=MODEL.repeat_rate if args.repeat_rate is None else args.repeat_rate,
            learning_rate_prior=tuple(float(w) for w in args.rate_prior.split(",")) if args.rate_prior else None,
        )
    if args.shared_gains:
        MODEL = dataclasses.replace(MODEL, task_specific_gains=False)
    MEMORY_SCALE = args.memory_scale
    started = time.perf_counter()
    world = build_world(PACK, args.seed)
    tasks = [t.id for d in PACK.blueprint.domains for t in d.tasks]
    print(
        f"Python {platform.python_version()} on {platform.machine()}; {args.learners} learners per strategy; "
        f"bank of {len(world.live)} live questions; {DAILY_QUESTIONS} questions a day; model {MODEL}; "
        f"item memory {MEMORY_SCALE}x the FSRS curve; the cycle learner's set {len(world.cycle)} questions\n"
    )

    results: dict[str, list[Outcome]] = {name: [] for name in args.strategies.split(",")}
    check_days = {0, 1, 2, 4, 6, 9, 13, 18, 24, 31, 40}
    approx_error = 0.0
    for index in range(args.learners):
        people_rng = random.Random(args.seed * 1_000_003 + index)
        template = new_learner(people_rng, tasks)
        for strategy, outcomes in results.items():
            learner = Learner(start=dict(template.start), theta=dict(template.theta))
            rng = random.Random(zlib.crc32(f"{args.seed}/{index}/{strategy}".encode()))  # stable across runs
            outcomes.append(run(strategy, learner, world, rng, check_days))
            if index < 5:
                approx_error = max(
                    approx_error, abs(true_pass_probability(learner, world) - exact_pass_probability(learner, world))
                )
    report(results, world, approx_error, time.perf_counter() - started)


def _summary(outcomes: Sequence[Outcome]) -> tuple[float, float, float, float]:
    reached = [o.questions for o in outcomes if o.questions is not None]
    censored = [o.questions if o.questions is not None else math.inf for o in outcomes]
    median = statistics.median(censored)
    mean_reached = statistics.fmean(reached) if reached else math.nan
    return len(reached) / len(outcomes), median, mean_reached, statistics.median(o.days for o in outcomes)


LABELS = {
    "adaptive": "Adaptive (weak spots)",
    "random": "Random practice",
    "plan": "Seven-day plan, repeated",
    "repeats": "Repeats (80% seen before)",
    "cycle": "Cycle (own set, again and again)",
}


def report(results: dict[str, list[Outcome]], world: World, approx_error: float, seconds: float) -> None:
    print("| Strategy | Reached P(pass) ≥ 0.9 | Median questions | Mean questions (reached) | Median days |")
    print("|---|---|---|---|---|")
    medians = {}
    for strategy, outcomes in results.items():
        share, median, mean_reached, days = _summary(outcomes)
        medians[strategy] = median
        shown = "never" if math.isinf(median) else f"{median:.0f}"
        print(f"| {LABELS[strategy]} | {share:.0%} | {shown} | {mean_reached:.0f} | {days:.0f} |")
    if "adaptive" in results and "random" in results:
        saving = 1 - medians["adaptive"] / medians["random"]
        print(f"\nAdaptive needs {saving:.0%} fewer questions than random (median; target ≥ 25%).")
        paired = [
            r.questions / a.questions
            for a, r in zip(results["adaptive"], results["random"], strict=True)
            if a.questions and r.questions
        ]
        if paired:
            print(f"Per learner, random needs {statistics.median(paired):.2f}× the adaptive questions (median ratio).")
    print("\nReadiness calibration per strategy (one simulated exam of new questions at each checkpoint):\n")
    print(
        "| Strategy | Model | Checkpoints | Pass rate | First-time answers | First-answer evidence | Warned "
        "| Brier | ECE vs outcomes | ECE vs true P | Mean error vs true P | Mean error vs outcomes |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for strategy, outcomes in results.items():
        points = [point for o in outcomes for point in o.checkpoints]
        if not points:
            continue
        first = statistics.fmean(point.first_share for point in points)
        evidence = statistics.fmean(point.first_evidence for point in points)
        warned = statistics.fmean(1.0 if point.warned else 0.0 for point in points)
        for model, rows in (
            ("memory term", [(point.predicted, point.true, point.passed) for point in points]),
            ("none (before)", [(point.predicted_before, point.true, point.passed) for point in points]),
        ):
            brier, ece, ece_true, base = calibration(rows)
            error = statistics.fmean(p - true for p, true, _ in rows)
            outcome_error = statistics.fmean(p - (1.0 if passed else 0.0) for p, _, passed in rows)
            print(
                f"| {LABELS[strategy]} | {model} | {len(rows)} | {base:.2f} | {first:.0%} | {evidence:.0%} | "
                f"{warned:.0%} | {brier:.3f} | {ece:.3f} | {ece_true:.3f} | {error:+.3f} | {outcome_error:+.3f} |"
            )
    rows = [
        (point.predicted, point.true, point.passed)
        for strategy in ("adaptive", "random")
        if strategy in results
        for o in results[strategy]
        for point in o.checkpoints
    ]
    if rows:
        brier, ece, ece_true, base = calibration(rows)
        print(f"\nAdaptive and random together, {len(rows)} checkpoints (pass rate {base:.2f}):")
        print(
            f"Brier score {brier:.3f} (always predicting the base rate: {base * (1 - base):.3f}); "
            f"ECE against exam outcomes {ece:.3f} (target ≤ 0.05); ECE against the true probabilities {ece_true:.3f}."
        )
        print("\n| Predicted P(pass) | Checkpoints | Mean predicted | Share passed | Mean true probability |")
        print("|---|---|---|---|---|")
        for index in range(10):
            inside = [r for r in rows if index / 10 <= r[0] < (index + 1) / 10 or (index == 9 and r[0] == 1.0)]
            if inside:
                print(
                    f"| {index / 10:.1f}–{(index + 1) / 10:.1f} | {len(inside)} | "
                    f"{statistics.fmean(r[0] for r in inside):.3f} | "
                    f"{statistics.fmean(1.0 if r[2] else 0.0 for r in inside):.3f} | "
                    f"{statistics.fmean(r[1] for r in inside):.3f} |"
                )
    print(f"\nNormal approximation of the true pass probability: largest error {approx_error:.4f} (5 learners).")
    print(f"Run time {seconds:.0f} s.")


Strategy = Callable[..., list[Question]]

if __name__ == "__main__":
    main()
