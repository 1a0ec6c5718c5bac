"""The request an alert button's value or a modal's private metadata names, loaded in one
place, with the rule for a request already acted on: nothing is done, and the controllers'
alerts are refreshed to show it as it stands.

This runs inside the listener (a middleware runs before the listener's transaction opens, and
the alerts it would refresh are outbox rows that must be committed with it)."""

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.request import BoltRequest
from slack_bolt.util.utils import get_arg_names_of_callable
from sqlalchemy.orm import Session

from bot.requests.alerts import show_as_it_stands
from bot.requests.inputs import RequestButton, RequestModalMetadata
from storage import requests
from storage.requests import RequestView
from storage.staff import StaffMember

Listener = Callable[..., None]


def still_open(request: RequestView) -> bool:
    return request.is_open


def named_request(*, session: Session, staff: StaffMember, body: dict[str, Any]) -> RequestView:
    """The request the pressed button's value, or the submitted modal's metadata, names."""
    view = body.get("view") if body.get("type") == "view_submission" else None
    if view is not None:
        request_id = RequestModalMetadata.parse(view.get("private_metadata", "")).request_id
    else:
        action = (body.get("actions") or [{}])[0]
        request_id = RequestButton.parse(action.get("value")).request_id
    return requests.get_request(session=session, viewer=staff, request_id=request_id)


def open_request(
    *,
    session: Session,
    staff: StaffMember,
    body: dict[str, Any],
    acts_on: Callable[[RequestView], bool] = still_open,
) -> RequestView | None:
    """The request named, if the act still applies to it; else None, the alerts refreshed."""
    request = named_request(session=session, staff=staff, body=body)
    if acts_on(request):
        return request
    show_as_it_stands(session=session, request=request)
    return None


def for_open_request(
    acts_on: Callable[[RequestView], bool] = still_open,
) -> Callable[[Listener], Listener]:
    """Runs an alert button's listener with the request its value names, taken by name as
    `request`, once the button is acknowledged; or shows the request as it stands when the
    act no longer applies (`acts_on`). The listener takes every other argument by name as
    any listener does, and leaves the acknowledgement to this."""

    def decorate(listener: Listener) -> Listener:
        def run(
            ack: Ack,
            body: dict[str, Any],
            session: Session,
            staff: StaffMember,
            req: BoltRequest,
        ) -> None:
            ack()
            request = open_request(session=session, staff=staff, body=body, acts_on=acts_on)
            if request is None:
                return
            kwargs = build_required_kwargs(
                logger=req.context.logger,
                required_arg_names=get_arg_names_of_callable(listener),
                request=req,
                response=None,
                this_func=listener,
            )
            listener(**{**kwargs, "request": request})

        run.__name__ = listener.__name__
        run.__qualname__ = listener.__qualname__
        run.__doc__ = listener.__doc__
        run.__module__ = listener.__module__
        return run

    return decorate
