"""Abbreviations and synonyms: the learner's shorthand finds the notes' full names, and the other way round."""

from __future__ import annotations

import pytest

from certprep.tutor.expand import content_words, expand


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASG lifecycle hook", "auto scaling group"),
        ("auto scaling group warm pool", "asg"),
        ("SSM run command", "systems manager"),
        ("CFN drift", "cloudformation"),
        ("SCP deny regions", "service control policy"),
        ("SQS DLQ", "dead-letter queue"),
        ("KMS key policy", "key management service"),
        ("CMK across accounts", "customer managed key"),
        ("ALB health checks", "application load balancer"),
        ("NLB static ip", "network load balancer"),
        ("EB immutable", "elastic beanstalk"),
        ("ECS blue green", "elastic container service"),
        ("EKS upgrades", "kubernetes"),
        ("IaC testing", "infrastructure as code"),
        ("RTO RPO", "recovery time objective"),
        ("RTO RPO", "recovery point objective"),
        ("infrastructure as code", "iac"),
        ("SG vs NACL", "security group"),
        ("SG vs NACL", "network acl"),
        ("apigw 429", "api gateway"),
        ("r53 failover", "route 53"),
        ("sfn retry", "step functions"),
    ],
)
def test_known_abbreviations_and_names_expand(query: str, expected: str) -> None:
    assert expected in expand(query).added


def test_a_recognised_phrase_is_one_term_and_stop_words_are_dropped() -> None:
    terms = expand("How do I roll back a CodePipeline stage?")
    assert "roll back" in terms.words
    assert "roll" not in terms.words
    assert "back" not in terms.words
    assert "rollback" in terms.added
    assert "how" not in terms.words
    assert "do" not in terms.words


def test_the_longest_phrase_wins() -> None:
    terms = expand("auto scaling group")
    assert terms.words == ("auto scaling group",)
    assert "asg" in terms.added


def test_plain_words_pass_through_without_repeats() -> None:
    assert content_words("What is the Terraform terraform state?") == ["terraform", "state"]
    assert expand("xyzzy").added == ()
