"""The console's numbered messages: an update keeps its message's number, and the oldest go
once there are more than the history keeps."""

from bot.console.history import History, Place, Pressable
from bot.console.render import Button

TO_YOU = Place("D1")
UPDATED = Place("D1", updated=True)
ONLY_YOU = Place(only_for="U1")
START = Pressable(Button(label="Start", action_id="request_start", block_id="b1", value="1"))


def test_an_update_keeps_its_number_and_replaces_what_was_shown() -> None:
    history = History()
    alert = history.remember(TO_YOU, ["", "Request #1"], [START], ("D1", "1.1"))
    history.remember(ONLY_YOU, ["Hits"], [], None)

    updated = history.remember(UPDATED, ["Request #1, in progress"], [], ("D1", "1.1"))

    assert updated is alert and updated.number == 1
    assert updated.first_line == "Request #1, in progress" and updated.pressables == []
    assert [shown.number for shown in history.messages] == [1, 2]


def test_the_oldest_go_and_numbers_are_never_given_again() -> None:
    history = History(limit=2)
    for index in range(3):
        history.remember(TO_YOU, [f"Message {index}"], [START], (f"D{index}", "1.1"))

    assert [shown.number for shown in history.messages] == [2, 3]
    assert history.find(1) is None
    last = history.find(3)
    assert last is not None and last.first_line == "Message 2"
