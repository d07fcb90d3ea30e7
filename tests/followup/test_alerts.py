"""The owner's alert e-mail arrives at a real SMTP server (aiosmtpd on 127.0.0.1), zh or en."""

from sqlalchemy import select

from surveyapp.followup.alerts import send_case_alerts
from surveyapp.mail import SmtpSettings
from surveyapp.models import AlertPreference, FollowupCase
from surveyapp.survey.intake import accept_response

from .conftest import NOW, values_for


def settings(smtp):
    return SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5)


def submit(session, world):
    invitation = world["invitation"]
    accept_response(session, invitation, values_for(invitation, RESP=1, NPS=2), now=NOW,
                    locale="zh_CN", may_contact=True)  # fmt: skip


def test_the_owner_gets_one_email_per_case_in_chinese_without_contact_data(
    app, session, world, smtp
):
    submit(session, world)
    with app.app_context():
        assert send_case_alerts(session, settings(smtp), "https://s.test", NOW) == (1, 0)
        assert send_case_alerts(session, settings(smtp), "https://s.test", NOW) == (0, 0)
    [message] = smtp.to(world["owner"].email)
    body = message.get_content()
    case = session.scalar(select(FollowupCase))
    assert "回访" in message["Subject"] and f"https://s.test/cases/{case.id}" in body
    assert world["customer"].reveal_contact().email not in body


def test_an_owner_who_wants_a_digest_gets_it_in_english(app, session, world, smtp):
    owner = world["owner"]
    owner.locale = "en"
    session.add(AlertPreference(user_id=owner.id, mode="digest"))
    session.commit()
    submit(session, world)
    with app.app_context():
        assert send_case_alerts(session, settings(smtp), "https://s.test", NOW) == (0, 0)
        assert send_case_alerts(session, settings(smtp), "https://s.test", NOW, digest=True) == (
            1,
            0,
        )
    [message] = smtp.to(owner.email)
    assert message["Subject"] == "1 new follow-up cases"
