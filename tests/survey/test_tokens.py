from surveyapp.survey.tokens import link_token, looks_like_token, new_token, token_hash


def test_new_tokens_have_at_least_128_random_bits_and_are_url_safe():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(looks_like_token(t) and len(t) >= 22 for t in tokens)


def test_link_tokens_are_stable_per_invitation_and_depend_on_the_key():
    assert link_token("k1", 1, 2) == link_token("k1", 1, 2)
    assert len({link_token("k1", 1, 2), link_token("k1", 2, 1), link_token("k2", 1, 2)}) == 3
    token = link_token("k1", 1, 2)
    assert looks_like_token(token) and len(token) == 32  # 192 bits


def test_only_the_hash_is_stored_and_it_does_not_contain_the_token():
    token = new_token()
    digest = token_hash(token)
    assert len(digest) == 64 and token not in digest
