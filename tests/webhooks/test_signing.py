"""The signature covers timestamp and body; a receiver rejects tampering and old requests."""

from surveyapp.webhooks.signing import signature_header, verify

BODY = b'{"id":"e1","type":"case.opened"}'


def test_a_signature_verifies_with_the_shared_secret():
    assert verify("s3cret", signature_header("s3cret", 1_700_000_000, BODY), BODY, 1_700_000_010)


def test_another_secret_or_body_or_timestamp_does_not_verify():
    header = signature_header("s3cret", 1_700_000_000, BODY)
    assert not verify("other", header, BODY, 1_700_000_000)
    assert not verify("s3cret", header, BODY + b" ", 1_700_000_000)
    assert not verify("s3cret", header.replace("t=1700000000", "t=1700000001"), BODY, 1_700_000_000)


def test_a_request_older_than_five_minutes_is_a_replay():
    header = signature_header("s3cret", 1_700_000_000, BODY)
    assert verify("s3cret", header, BODY, 1_700_000_300)
    assert not verify("s3cret", header, BODY, 1_700_000_301)
