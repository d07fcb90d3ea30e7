import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.privacy import mask_contacts, suppress_small_groups


def masked(text, names=()):
    return mask_contacts(pd.Series([text]), names).iloc[0]


def test_phone_numbers_and_emails_are_masked():
    assert (
        masked("请回电 138-1234-5678 或 +86 13912345678，邮箱 li.na@example.com")
        == "请回电 *** 或 ***，邮箱 ***"
    )


def test_landline_and_id_numbers_are_masked():
    assert masked("座机 010-12345678，身份证 11010119900307123X") == "座机 ***，身份证 ***"


def test_names_next_to_titles_and_self_introductions_are_masked():
    assert masked("王先生很耐心") == "***先生很耐心"
    assert masked("我叫张伟，问题没解决") == "我叫***，问题没解决"
    assert (
        masked("My name is John Smith and Mr. Brown helped") == "My name is *** and Mr. *** helped"
    )


def test_known_customer_names_are_masked_anywhere():
    assert masked("李娜反映的问题还没处理", names=["李娜"]) == "***反映的问题还没处理"


def test_ordinary_comments_are_left_alone():
    text = "我是老客户了，客服回复太慢了，等了两天才有人处理"
    assert masked(text) == text


def test_rows_with_fewer_than_five_answers_are_blanked():
    frame = pd.DataFrame({"dimension": ["a", "b", "c"], "n": [4, 5, 0], "mean": [3.0, 4.0, None]})
    out = suppress_small_groups(frame)
    assert out["suppressed"].tolist() == [True, False, True]
    assert out["mean"].isna().tolist() == [True, False, True]
    assert out["n"].tolist()[1] == 5 and out["n"].isna().tolist() == [True, False, True]


@given(st.lists(st.tuples(st.integers(0, 50), st.floats(0, 100)), min_size=1, max_size=40))
def test_suppression_never_shows_a_group_of_fewer_than_five(rows):
    frame = pd.DataFrame(rows, columns=["n", "csat"])
    out = suppress_small_groups(frame)
    shown = out[~out["suppressed"]]
    assert (shown["n"] >= 5).all()
    assert out.loc[out["suppressed"], ["n", "csat"]].isna().all().all()
