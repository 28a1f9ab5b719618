"""The home page's children, shared by the main menu and the home page itself (its link to the
catalogue): one query per request."""


def live_children(request, root):
    """The live children of `root`, in tree order, as their specific classes (fields deferred),
    memoised on the request."""
    memo = request.__dict__.setdefault("_live_children", {})
    if root.pk not in memo:
        memo[root.pk] = list(root.get_children().live().specific(defer=True))
    return memo[root.pk]
