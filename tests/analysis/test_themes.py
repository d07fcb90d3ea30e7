import pandas as pd

from analysis.themes import comment_groups, comment_themes, tokenize

from . import demo


def test_chinese_comment_yields_reply_slow_and_handle():
    words = tokenize("客服回复太慢了，等了两天才有人处理")
    assert {"回复", "慢", "处理"} <= set(words)
    assert not {"了", "才", "，"} & set(words)


def test_more_real_looking_comments():
    assert {"电话", "打不通", "投诉"} <= set(tokenize("电话一直打不通，投诉了也没人管"))
    assert {"态度", "冷淡", "速度", "慢"} <= set(tokenize("回复速度慢，态度冷淡"))


def test_english_comments_are_lower_cased_without_stop_words():
    assert tokenize("The reply was too SLOW, and the agent was rude!") == [
        "reply",
        "slow",
        "agent",
        "rude",
    ]


SCORES = pd.DataFrame(
    {
        "response_id": [1, 1, 2, 3, 4, 4],
        "question_code": ["RESP", "NPS", "RESP", "RESP", "COURT", "NPS"],
        "value": [1, 3, 2, 5, 4, 5],
    }
)
COMMENTS = pd.DataFrame(
    {
        "response_id": [1, 2, 3, 4],
        "month": "2026-11",
        "question_code": "COMMENT",
        "text": [
            "客服回复太慢了，等了两天才有人处理",
            "处理投诉太慢，王先生 13812345678",
            "态度很好，非常耐心",
            "Slow reply",
        ],
    }
)


def test_groups_are_all_low_scorers_and_low_rated_dimensions():
    groups = comment_groups(COMMENTS, SCORES, demo.QUESTIONS)
    members = groups.groupby("group")["response_id"].apply(sorted).to_dict()
    assert members == {"all": [1, 2, 3, 4], "low_scorers": [1, 2, 4], "responsiveness": [1, 2]}


def test_themes_and_keywords_per_group_count_each_comment_once():
    summary = comment_themes(COMMENTS, comment_groups(COMMENTS, SCORES, demo.QUESTIONS))
    themes = summary.themes.set_index(["group", "theme"])["comments"]
    assert themes[("responsiveness", "speed")] == 2
    assert themes[("low_scorers", "speed")] == 3
    keywords = summary.keywords.set_index(["group", "keyword"])["comments"]
    assert keywords[("responsiveness", "慢")] == 2
    assert summary.comments.set_index("group")["n"].to_dict() == {
        "all": 4,
        "low_scorers": 3,
        "responsiveness": 2,
    }


def test_examples_and_keywords_carry_no_customer_identity():
    summary = comment_themes(COMMENTS, comment_groups(COMMENTS, SCORES, demo.QUESTIONS))
    text = " ".join(summary.examples["text"])
    assert "13812345678" not in text and "王" not in text
    assert not summary.keywords["keyword"].str.contains("王|1381").any()


def test_no_comments_give_empty_tables():
    empty = COMMENTS.iloc[0:0]
    summary = comment_themes(empty, comment_groups(empty, SCORES, demo.QUESTIONS))
    assert summary.keywords.empty and summary.themes.empty and summary.examples.empty
