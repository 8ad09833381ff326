"""What the nursery app tells accounts about who may sign in: a member of staff whose every post has ended
(leaving date reached, or removed) may not, unless something else still gives them standing; a group owner
may (see ``accounts.standing``)."""

from django.utils import timezone

from accounts.models import User

from .models import StaffMember


def staff_post_ended(user: User) -> str | None:
    """Why the user's standing as staff has ended: they had posts and none is held today. One query."""
    posts = list(StaffMember.objects.filter(user=user).select_related("nursery").order_by("-leaves_on"))
    today = timezone.localdate()
    if not posts or any(post.is_active and (post.leaves_on is None or post.leaves_on > today) for post in posts):
        return None
    post = next((post for post in posts if post.leaves_on), posts[0])
    if post.leaves_on:
        return f"Your post at {post.nursery} ended on {post.leaves_on:%-d %B %Y}; ask the nursery if this is a mistake."
    return f"Your post at {post.nursery} has ended; ask the nursery if this is a mistake."


def owns_a_group(user: User) -> bool:
    return user.owned_groups.exists()
