"""What the nursery app tells accounts about who may sign in: a member of staff whose every post has ended
(leaving date reached, or removed) may not, unless something else still gives them standing; a group owner
may (see ``accounts.standing``). And who must use two-step sign-in (see ``accounts.two_factor``)."""

from django.conf import settings
from django.utils import timezone

from accounts.models import User

from .models import StaffMember
from .selectors import all_posts, posts_held


def staff_post_ended(user: User) -> str | None:
    """Why the user's standing as staff has ended: they had posts and none is held today. One query, shared
    with the rest of the request."""
    posts = all_posts(user)
    today = timezone.localdate()
    if not posts or any(post.is_active and (post.leaves_on is None or post.leaves_on > today) for post in posts):
        return None
    post = max((post for post in posts if post.leaves_on), key=lambda post: post.leaves_on, default=posts[0])
    if post.leaves_on:
        return f"Your post at {post.nursery} ended on {post.leaves_on:%-d %B %Y}; ask the nursery if this is a mistake."
    return f"Your post at {post.nursery} has ended; ask the nursery if this is a mistake."


def owns_a_group(user: User) -> bool:
    return user.owned_groups.exists()


def two_factor_required_because(user: User) -> str | None:
    """Why the user must use two-step sign-in here: they manage a nursery or run a group (unless the install's
    TWO_FACTOR_REQUIRED is off, as in the demo), or their nursery asks it of all staff. Two queries at most."""
    managing = settings.TWO_FACTOR_REQUIRED
    posts = [
        post
        for post in posts_held(user)
        if post.nursery.staff_two_factor_required or (managing and post.role in StaffMember.MANAGING_ROLES)
    ]
    post = min(posts, key=lambda post: post.pk, default=None)
    if post is not None and post.nursery.staff_two_factor_required:
        return f"{post.nursery} asks all its staff to use two-step sign-in."
    if post is not None:
        return f"Managers use two-step sign-in, because you can see every child's records at {post.nursery}."
    if managing and owns_a_group(user):
        return "Group owners use two-step sign-in, because you can see across the group's nurseries."
    return None
