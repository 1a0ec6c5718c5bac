"""Staff roles given through the register command."""

from tests.e2e.harness import ADMIN, SlackSender

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


def grant(slack: SlackSender, user_id: str, role: str) -> None:
    reply = slack.command("/rekisteri", f"lisaa <@{user_id}|someone> {role}", user_id=ADMIN)
    assert reply.status == 200 and f"<@{user_id}>" in reply.json()["text"]
