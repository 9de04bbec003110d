"""Which of the department staff's pages a user may open, for the navigation and the program
page: asked of the same access rules as the views, so a link is shown only where it leads."""

from django import template

from core.access import reach
from programs.models import Program

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_links(context, program=None):
    """`{% staff_links program as links %}`: links.setup, links.dashboard, links.territory,
    links.invite (coordinators invite people to their territory's organizations), links.audit
    (they read the audit trail of their territory)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    # Staff of an authority or methodical centre; `reach` is computed once per request anyway.
    territorial = reach(user).is_territorial
    coordinator = reach(user).is_coordinator
    links = {"territory": territorial, "invite": coordinator, "audit": coordinator}
    if program is not None:
        links["setup"] = Program.objects.editable_by(user).contains(program)
        links["dashboard"] = territorial or (Program.objects.overseen_by(user).contains(program))
    return links
