from tests.conftest import sign_in


def test_signed_in_user_sees_the_seed_style_decision(client, make):
    decision = make.decision(title="Review of peer on peer abuse cases")
    user = make.user(role="member")
    sign_in(client, user)
    page = client.get("/").get_data(as_text=True)
    assert decision.title in page
