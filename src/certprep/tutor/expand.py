"""Query understanding: tokens, stop words, and the field's abbreviations and synonyms.

Learners write "ASG", notes write "Auto Scaling group"; a learner asks about "blue green", a card says "blue/green".
BM25 only matches words, so before searching the tutor rewrites the query into a set of *terms*: the learner's own
words plus, for every abbreviation or synonym it recognises, the other spellings of the same thing. Both directions
are covered: "SSM" adds "systems manager", and "systems manager" adds "ssm".

The lists are written by hand from the exam guide's vocabulary, not learned from the pack, so they help any pack on
the same field and cannot overfit a test set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[a-z0-9][a-z0-9_.:/-]*[a-z0-9]|[a-z0-9]")

# Words that say nothing about the topic. Question words ("how", "which", "explain") are here because nearly every
# learner question contains them, so they would only add noise to the ranking; so are the chatty ones ("hey, quick
# question", "thanks") and the contractions learners type with or without the apostrophe.
_STOP_WORDS_TEXT = """
    a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it
    its me my of on or our should so than that the their them then there these they this those to use used using was
    we what when where which while who why will with would you your yours about after before between both each more
    most other some such only own same too very just also any all want need needs get gets got make makes go goes
    explain tell describe difference differences different versus vs compare comparison please help understand know
    best way ways work works happen happens exam question questions aws amazon choose pick right correct good
    thing things kind really actually exactly instead much many
    hey hi hello thanks thank thx pls plz lol ok okay quick guys folks basically literally wondering confused
    anyone someone somebody im ive dont doesnt cant wont isnt arent didnt whats hmm
    bother bothering give w tho btw tbh anywhere somehow gonna wanna kinda sorta stuff keep keeps mixing
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Each group lists spellings of one idea; a query containing any of them searches for all of them.
# Multi-word entries are searched as phrases.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("asg", "auto scaling group", "auto scaling groups", "autoscaling group"),
    ("auto scaling", "autoscaling"),
    ("ssm", "systems manager"),
    ("cfn", "cloudformation"),
    ("scp", "scps", "service control policy", "service control policies"),
    ("rcp", "rcps", "resource control policy", "resource control policies"),
    ("dlq", "dead-letter queue", "dead letter queue", "dead-letter"),
    ("kms", "key management service"),
    ("cmk", "customer managed key", "customer managed kms key"),
    ("alb", "application load balancer"),
    ("nlb", "network load balancer"),
    ("gwlb", "gateway load balancer"),
    ("elb", "elastic load balancing", "load balancer"),
    ("eb", "elastic beanstalk", "beanstalk"),
    ("ecs", "elastic container service"),
    ("eks", "elastic kubernetes service", "kubernetes"),
    ("ecr", "elastic container registry"),
    ("ec2", "instance", "instances"),
    ("iac", "infrastructure as code"),
    ("rto", "recovery time objective"),
    ("rpo", "recovery point objective"),
    ("dr", "disaster recovery"),
    ("cdk", "cloud development kit"),
    ("sam", "serverless application model"),
    ("sqs", "simple queue service", "queue"),
    ("sns", "simple notification service", "topic"),
    ("iam", "identity and access management"),
    ("sso", "iam identity center", "identity center", "single sign-on"),
    ("ou", "ous", "organizational unit", "organizational units"),
    ("org", "organizations", "organization"),
    ("cw", "cloudwatch"),
    ("sg", "sgs", "security group", "security groups"),
    ("nacl", "nacls", "network acl", "network acls"),
    ("apigw", "api gw", "api gateway"),
    ("r53", "route53", "route 53"),
    ("sfn", "step functions"),
    ("tgw", "transit gateway"),
    ("vpce", "vpc endpoint", "vpc endpoints"),
    # Learners' shorthand for everyday words, so a chatty question still finds (and is judged against) the notes.
    ("dev", "devs", "developer", "developers"),
    ("prod", "production"),
    ("acct", "accts", "account", "accounts"),
    ("env", "envs", "environment", "environments"),
    ("mem", "memory"),
    ("perms", "permissions"),
    ("creds", "credentials"),
    ("repo", "repos", "repository", "repositories"),
    ("dynamo", "dynamodb"),
    ("cwl", "cloudwatch logs", "log group"),
    ("ct", "cloudtrail"),
    ("ddb", "dynamodb"),
    ("rds", "relational database service"),
    ("efs", "elastic file system"),
    ("ebs", "elastic block store", "volume", "volumes"),
    ("ami", "amis", "machine image", "image"),
    ("vpc", "virtual private cloud"),
    ("acm", "certificate manager"),
    ("waf", "web application firewall"),
    ("fis", "fault injection service", "fault injection", "chaos"),
    ("mttr", "mean time to recovery", "recovery time"),
    ("sla", "service level agreement"),
    ("gitops", "git"),
    ("cicd", "ci/cd", "pipeline", "continuous delivery", "continuous integration"),
    ("blue green", "blue/green", "bluegreen", "blue-green"),
    ("canary", "canary10percent5minutes", "traffic shifting"),
    ("linear", "linear10percentevery1minute"),
    ("in-place", "in place"),
    ("rollback", "roll back", "rolls back", "rolled back"),
    ("secret", "secrets", "secrets manager", "credentials", "password"),
    ("parameter store", "parameters", "securestring"),
    ("patch", "patching", "patch manager", "patch baseline"),
    ("drift", "drift detection", "out-of-band", "changed manually", "manual change", "manual changes", "by hand"),
    ("stackset", "stacksets", "stack set", "stack sets"),
    ("nested stack", "nested stacks"),
    ("change set", "change sets", "changeset"),
    ("event bus", "eventbridge", "event rule", "cloudwatch events"),
    ("x-ray", "xray", "tracing", "traces"),
    ("otel", "opentelemetry", "adot"),
    ("imds", "instance metadata"),
    ("os", "operating system"),
    ("ha", "high availability", "highly available"),
    ("multi-az", "multiple availability zones", "availability zone", "availability zones", "az"),
    ("multi-region", "multiple regions", "cross-region", "another region", "regions"),
    ("cross-account", "multiple accounts", "multi-account", "another account", "other accounts"),
    ("lambda", "function", "functions", "serverless"),
    ("step functions", "state machine"),
    ("guardduty", "threat detection"),
    (
        "aws health",
        "health dashboard",
        "health event",
        "health events",
        "scheduled maintenance",
        "scheduled event",
        "scheduled events",
    ),
    ("machine learning", "ml", "ml-powered"),
    ("poison message", "poison messages", "poison-pill", "dead-letter queue", "maxreceivecount"),
    ("security hub", "findings"),
    ("config rule", "config rules", "aws config", "conformance pack"),
    ("least privilege", "permissions boundary", "permissions boundaries"),
    ("cost", "cheapest", "cost-effective", "cost effective", "cheaper"),
    ("downtime", "zero downtime", "no downtime", "outage"),
    ("alarm", "alarms", "alert", "alerts"),
    ("metric filter", "metric filters"),
    ("log", "logs", "logging"),
    ("deploy", "deployment", "deployments", "release", "releases"),
    ("test", "tests", "testing"),
    ("artifact", "artifacts", "package", "packages"),
    ("container", "containers", "docker"),
    ("approval", "manual approval", "approve"),
)

# What a spelling in the table may contain; checked when the table is built, so a typo fails at import time.
_TERM = re.compile(r"^[a-z0-9][a-z0-9 ./:-]*$")


@dataclass(frozen=True)
class Terms:
    """The search terms of one query: the learner's own (``words``) and the added spellings (``added``)."""

    words: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.words + self.added


def _build_lookup() -> dict[str, tuple[str, ...]]:
    lookup: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        for spelling in group:
            assert _TERM.match(spelling), spelling
            lookup[spelling] = tuple(dict.fromkeys(lookup.get(spelling, ()) + group))
    return lookup


_LOOKUP = _build_lookup()
KNOWN_SPELLINGS = frozenset(_LOOKUP)
_LONGEST = max(len(key.split()) for key in _LOOKUP)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text``, with trailing punctuation trimmed and possessives dropped."""
    lowered = text.lower().replace("’", "'").replace("'s ", " ").replace("n't", "nt").replace("'m ", "m ")
    found = WORD.findall(lowered)
    return [token.strip(".:/-") for token in found if token.strip(".:/-")]


def content_words(text: str) -> list[str]:
    """The tokens of ``text`` that are not stop words, in order, without repeats."""
    return list(dict.fromkeys(token for token in tokens(text) if token not in STOP_WORDS))


def expand(query: str) -> Terms:
    """The learner's content words plus every synonym or abbreviation spelling of the phrases they used.

    Phrases are matched longest first over the raw tokens (so "auto scaling group" wins over "auto scaling"), and
    stop words are kept for phrase matching ("infrastructure as code") but not as search terms.
    """
    raw = tokens(query)
    added: list[str] = []
    words: list[str] = []
    position = 0
    while position < len(raw):
        for size in range(min(_LONGEST, len(raw) - position), 0, -1):
            phrase = " ".join(raw[position : position + size])
            group = _LOOKUP.get(phrase)
            if group:
                # A recognised phrase is searched as one term: "roll back" must not score "roll" and "back" apart.
                words.append(phrase)
                added += [spelling for spelling in group if spelling != phrase]
                position += size
                break
        else:
            if raw[position] not in STOP_WORDS:
                words.append(raw[position])
            position += 1
    words = list(dict.fromkeys(words))
    extra = [spelling for spelling in dict.fromkeys(added) if spelling not in words]
    return Terms(tuple(words), tuple(extra))
