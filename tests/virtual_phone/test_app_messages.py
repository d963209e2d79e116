"""Messages: seeded conversations with people of Contacts, reading, sending, starting a
chat from Contacts or a number, search and delete — driven through the `Phone` API, plus a
walk through the real uiautomator2 client."""

from __future__ import annotations

from typing import Any

import pytest

from virtual_phone.apps.messages.model import same_number
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

MESSAGES = "com.google.android.apps.messaging"
CONTACTS = "com.example.contacts"
RID = f"{MESSAGES}:id/"
TO_HINT = "Type a name, phone number or email"
WAIT = 5.0


def _tap(phone: Phone, *, long: bool = False, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    x, y = (left + right) / 2, (top + bottom) / 2
    if long:
        phone.long_press(x, y)
    else:
        phone.tap(x, y)


def _texts(phone: Phone, name: str) -> list[str]:
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == RID + name]


def _conversations(phone: Phone) -> list[dict[str, Any]]:
    return list(phone.app_state(MESSAGES)["conversations"])


def _with(phone: Phone, name: str) -> dict[str, Any]:
    return next(c for c in _conversations(phone) if c["name"] == name)


def _drawn_width(phone: Phone, text: str) -> int:
    drawn = next(t for t in phone.screen_texts() if t.text == text)
    return drawn.bounds[2] - drawn.bounds[0]


def _type_into(phone: Phone, hint: str, text: str) -> None:
    _tap(phone, text=hint)
    phone.input_text(text)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_seeded_conversations_are_with_people_in_contacts(seed: int) -> None:
    phone = Phone(seed=seed)
    contacts = {c["name"]: c["phone"] for c in phone.app_state(CONTACTS)["contacts"]}
    conversations = _conversations(phone)
    assert 4 <= len(conversations) <= 8
    assert len({c["name"] for c in conversations}) == len(conversations)
    for conversation in conversations:
        assert contacts[conversation["name"]] == conversation["number"]
        assert conversation["messages"]
    seqs = [m["seq"] for c in conversations for m in c["messages"]]
    assert sorted(seqs) == list(range(1, len(seqs) + 1))
    assert phone.app_state(MESSAGES)["seq"] == len(seqs)
    assert Phone(seed=seed).app_state(MESSAGES) == phone.app_state(MESSAGES)


def test_seeds_give_different_conversations() -> None:
    assert Phone(seed=0).app_state(MESSAGES) != Phone(seed=1).app_state(MESSAGES)


@pytest.mark.parametrize("seed", [0, 1])
def test_list_shows_newest_first_with_snippet_and_time(seed: int) -> None:
    phone = Phone(seed=seed)
    assert any(p.label == "Messages" for p in phone.launcher_apps())
    _tap(phone, text="Messages", clickable=True)
    assert phone.current() == (MESSAGES, MESSAGES + ".ui.ConversationListActivity")
    newest = sorted(_conversations(phone), key=lambda c: -c["messages"][-1]["seq"])
    assert _texts(phone, "conversation_name") == [c["name"] for c in newest]
    last = newest[0]["messages"][-1]
    assert _texts(phone, "conversation_timestamp")[0] == last["time"]
    snippet = ("You: " if last["outgoing"] else "") + last["text"]
    assert _texts(phone, "conversation_snippet")[0] == snippet
    assert find_node(phone.nodes(), content_desc="Start chat", clickable=True) is not None


def test_opening_an_unread_conversation_shows_history_and_marks_it_read() -> None:
    phone = Phone(seed=0)
    unread = next(c for c in _conversations(phone) if c["unread"])
    phone.start_app(MESSAGES)
    bold_width = _drawn_width(phone, unread["name"])
    _tap(phone, text=unread["name"])
    assert phone.current()[1].endswith("ConversationActivity")
    assert _texts(phone, "message_text") == [m["text"] for m in unread["messages"]]
    assert _texts(phone, "message_time") == [m["time"] for m in unread["messages"]]
    assert _texts(phone, "conversation_number") == [unread["number"]]
    assert _with(phone, unread["name"])["unread"] is False
    phone.press_key("back")
    assert _drawn_width(phone, unread["name"]) < bold_width  # no longer bold


def test_send_appends_an_outgoing_message_and_clears_the_field() -> None:
    phone = Phone(seed=1)
    state = phone.app_state(MESSAGES)
    person = state["conversations"][0]
    phone.start_app(MESSAGES)
    _tap(phone, text=person["name"])
    send = find_node(phone.nodes(), content_desc="Send")
    assert send is not None
    assert not send.enabled  # nothing to send yet
    _type_into(phone, "Text message", "The meeting is at 15:00")
    _tap(phone, content_desc="Send")
    sent = _with(phone, person["name"])["messages"][-1]
    assert sent == {
        "text": "The meeting is at 15:00",
        "outgoing": True,
        "time": state["now"],
        "seq": state["seq"] + 1,
    }
    assert _texts(phone, "compose_message_text") == ["Text message"]  # empty again
    assert _texts(phone, "message_text")[-1] == "The meeting is at 15:00"
    phone.press_key("back")
    phone.press_key("back")
    assert _texts(phone, "conversation_name")[0] == person["name"]
    assert _texts(phone, "conversation_snippet")[0] == "You: The meeting is at 15:00"


def test_blank_draft_sends_nothing() -> None:
    phone = Phone(seed=2)
    before = phone.app_state(MESSAGES)
    phone.start_app(MESSAGES)
    _tap(phone, resource_id=RID + "conversation_item")
    _type_into(phone, "Text message", "   ")
    _tap(phone, content_desc="Send")
    assert phone.app_state(MESSAGES)["seq"] == before["seq"]


def test_start_chat_with_a_contact_without_a_conversation() -> None:
    phone = Phone(seed=3)
    talked = {c["name"] for c in _conversations(phone)}
    contact = next(c for c in phone.app_state(CONTACTS)["contacts"] if c["name"] not in talked)
    phone.start_app(MESSAGES)
    _tap(phone, content_desc="Start chat")
    assert len(_texts(phone, "contact_name")) > 1  # all contacts before typing
    _type_into(phone, TO_HINT, contact["name"].split()[0].lower())
    assert _texts(phone, "contact_name") == [contact["name"]]
    _tap(phone, text=contact["name"])
    assert phone.current()[1].endswith(".ui.conversation.ConversationActivity")
    assert len(_conversations(phone)) == len(talked)  # nothing stored before a message
    _type_into(phone, "Text message", "Hello there")
    _tap(phone, content_desc="Send")
    new = _with(phone, contact["name"])
    assert new["number"] == contact["phone"]
    assert [(m["text"], m["outgoing"]) for m in new["messages"]] == [("Hello there", True)]
    phone.press_key("back")  # hides the keyboard
    phone.press_key("back")
    assert phone.current()[1].endswith("ConversationListActivity")  # not the To screen
    assert _texts(phone, "conversation_name")[0] == contact["name"]


def test_start_chat_to_a_typed_number() -> None:
    phone = Phone(seed=0)
    phone.start_app(MESSAGES)
    _tap(phone, content_desc="Start chat")
    _type_into(phone, TO_HINT, "+1 555 0100")
    assert _texts(phone, "typed_number_title") == ["Chat with +1 555 0100"]
    _tap(phone, text="Chat with +1 555 0100")
    _type_into(phone, "Text message", "Is the parcel ready?")
    _tap(phone, content_desc="Send")
    new = next(c for c in _conversations(phone) if same_number(c["number"], "15550100"))
    assert new["name"] == "+1 555 0100"
    assert new["messages"][-1]["text"] == "Is the parcel ready?"


def test_a_known_number_in_another_format_opens_the_existing_conversation() -> None:
    phone = Phone(seed=4)
    person = _conversations(phone)[0]
    count = len(_conversations(phone))
    local = "0" + "".join(ch for ch in person["number"] if ch.isdigit())[2:]  # +44 7… → 07…
    phone.start_app(MESSAGES)
    _tap(phone, content_desc="Start chat")
    _type_into(phone, TO_HINT, local)
    phone.press_key("enter")  # a typed number is picked by ENTER
    assert _texts(phone, "conversation_number") == [person["number"]]
    assert _texts(phone, "message_text") == [m["text"] for m in person["messages"]]
    _type_into(phone, "Text message", "Same thread")
    _tap(phone, content_desc="Send")
    assert len(_conversations(phone)) == count  # no second thread with the same person
    assert _with(phone, person["name"])["messages"][-1]["text"] == "Same thread"


def test_to_field_matches_email_and_enter_picks_the_only_match() -> None:
    phone = Phone(seed=5)
    contact = phone.app_state(CONTACTS)["contacts"][3]
    phone.start_app(MESSAGES)
    _tap(phone, content_desc="Start chat")
    _type_into(phone, TO_HINT, contact["email"])
    assert _texts(phone, "contact_name") == [contact["name"]]
    phone.press_key("enter")
    assert phone.current()[1].endswith("ConversationActivity")
    assert _texts(phone, "conversation_number") == [contact["phone"]]


def test_to_field_lists_contacts_added_in_contacts() -> None:
    phone = Phone(seed=0)
    phone.start_app(CONTACTS)
    _tap(phone, content_desc="Add contact")
    for field, value in (("name", "Wilhelmina Zed"), ("phone", "+44 7700 900555")):
        _tap(phone, resource_id=f"{CONTACTS}:id/{field}")
        phone.input_text(value)
    _tap(phone, text="Save")
    phone.start_app(MESSAGES)
    _tap(phone, content_desc="Start chat")
    _type_into(phone, TO_HINT, "wilhel")
    assert _texts(phone, "contact_number") == ["+44 7700 900555"]
    _type_into(phone, "wilhel", "zzzz")  # the field now shows what was typed
    assert _texts(phone, "empty") == ["No matching contacts"]


def test_search_conversations_by_name_and_message_text() -> None:
    phone = Phone(seed=6)
    conversations = _conversations(phone)
    target = conversations[-1]
    word = target["messages"][0]["text"].split()[-1].strip("?!.,")
    phone.start_app(MESSAGES)
    _type_into(phone, "Search conversations", target["name"].split()[1])
    assert target["name"] in _texts(phone, "conversation_name")
    assert len(_texts(phone, "conversation_name")) < len(conversations)
    phone.clear_focused_text()
    phone.input_text(word)
    assert target["name"] in _texts(phone, "conversation_name")
    phone.clear_focused_text()
    phone.input_text("xyzzy")
    assert _texts(phone, "empty") == ["No matching conversations"]
    phone.press_key("back")  # hides the keyboard
    phone.press_key("back")  # clears the search
    assert len(_texts(phone, "conversation_name")) == len(conversations)


def test_long_press_deletes_a_conversation_after_confirmation() -> None:
    phone = Phone(seed=1)
    victim = _conversations(phone)[1]
    count = len(_conversations(phone))
    phone.start_app(MESSAGES)
    _tap(phone, long=True, text=victim["name"])
    assert find_node(phone.nodes(), text="Delete this conversation?") is not None
    _tap(phone, text="Cancel")
    assert len(_conversations(phone)) == count
    _tap(phone, long=True, text=victim["name"])
    _tap(phone, text="Delete")
    assert victim["name"] not in [c["name"] for c in _conversations(phone)]
    assert len(_conversations(phone)) == count - 1
    assert phone.last_toast == "Conversation deleted"
    assert victim["name"] not in _texts(phone, "conversation_name")


def test_clear_data_empties_and_load_restores() -> None:
    phone = Phone(seed=2)
    saved = phone.state()
    phone.clear_data(MESSAGES)
    state = phone.app_state(MESSAGES)
    assert state["conversations"] == []
    assert state["next_id"] == 1
    phone.start_app(MESSAGES)
    assert _texts(phone, "empty") == ["No conversations"]
    phone.load_state(saved)
    assert phone.app_state(MESSAGES) == saved["apps"][MESSAGES]


# == through uiautomator2 ==========================================================
@pytest.mark.e2e
def test_message_a_contact_through_uiautomator2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    talked = {c["name"] for c in phone.app_state(MESSAGES)["conversations"]}
    contact = next(c for c in phone.app_state(CONTACTS)["contacts"] if c["name"] not in talked)

    # GIVEN Messages opened from the launcher
    d.press("home")
    d(text="Messages", packageName="com.android.launcher3").click(timeout=WAIT)
    assert d(description="Start chat").wait(timeout=WAIT)

    # WHEN a chat is started with a contact found by name and a message is sent
    d(description="Start chat").click()
    d(text=TO_HINT).set_text(contact["name"])
    d(resourceId=RID + "contact_name", text=contact["name"]).click(timeout=WAIT)
    assert d(resourceId=RID + "empty_conversation").wait(timeout=WAIT)
    d(text="Text message").set_text("Meeting moved to 14:30")
    d(description="Send").click(timeout=WAIT)

    # THEN the bubble shows and the phone stores it for that person's number
    assert d(resourceId=RID + "message_text", text="Meeting moved to 14:30").wait(timeout=WAIT)
    stored = [c for c in phone.app_state(MESSAGES)["conversations"] if c["name"] == contact["name"]]
    assert [c["number"] for c in stored] == [contact["phone"]]
    assert [(m["text"], m["outgoing"]) for m in stored[0]["messages"]] == [
        ("Meeting moved to 14:30", True)
    ]
