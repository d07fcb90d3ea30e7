"""Negations stay with what they negate: 不满意, 不及时, 没解决 are keywords; 不 alone never is."""

import pandas as pd

from analysis.themes import comment_groups, comment_themes, tokenize

# Written out here, independently of analysis/data: single characters that are function words
# (negations, particles, adverbs of degree, prepositions, pronouns).
FUNCTION_CHARACTERS = set("不没未无别非的了着过很太也都就才又还再是在有和与及或把被给让对从向")
FUNCTION_CHARACTERS |= set("我你他她它吧啊呢吗呀哦")

TEXTS = [
    "我很不满意，回复不及时。",
    "问题没有解决，很不满意。",
    "回复不及时，等了三天。",
    "投诉以后问题还是没有解决。",
    "不是很满意，客服不了解产品。",
    "非常不满意！问题没有解决，回复也不及时。",
    "客服态度还可以，就是回复不及时。",
    "等了很久，问题没有解决，不满意。",
]


def fixture():
    ids = list(range(1, len(TEXTS) + 1))
    comments = pd.DataFrame(
        {"response_id": ids, "month": "2026-11", "question_code": "COMMENT", "text": TEXTS}
    )
    scores = pd.DataFrame({"response_id": ids, "question_code": "RESP", "value": 1})
    questions = pd.DataFrame(
        {
            "question_code": ["RESP", "COMMENT"],
            "kind": ["rating", "text"],
            "dimension": ["responsiveness", None],
            "clause_ref": ["一(1)", None],
        }
    )
    return comments, comment_groups(comments, scores, questions)


def test_negated_words_are_kept_whole():
    assert tokenize("我很不满意") == ["不满意"]
    assert tokenize("回复不及时") == ["回复", "不及时"]
    assert tokenize("问题没有解决") == ["问题", "没解决"]
    assert tokenize("不是很满意") == ["不满意"]


def test_no_single_character_function_word_among_the_top_keywords():
    comments, groups = fixture()
    summary = comment_themes(comments, groups, top=10)
    for group in ("all", "low_scorers", "responsiveness"):
        top = summary.keywords.loc[summary.keywords["group"] == group, "keyword"].tolist()
        assert top, group
        assert not [k for k in top if len(k) == 1 and k in FUNCTION_CHARACTERS], top
        assert {"不满意", "不及时", "没解决"} <= set(top[:4]), top


def test_a_negated_word_counts_for_the_theme_of_the_word_it_negates():
    comments, groups = fixture()
    themes = comment_themes(comments, groups).themes
    low = themes[themes["group"] == "low_scorers"].set_index("theme")["comments"]
    # 不及时 / 等 (speed): comments 1, 3, 6, 7, 8; 没解决 (resolution): comments 2, 4, 6, 8
    assert low["speed"] == 5 and low["resolution"] == 4
