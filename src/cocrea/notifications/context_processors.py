from . import selectors


def unread(request):
    """The unread count in the header: one COUNT on an indexed, partial index."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": selectors.unread_count(user)}
