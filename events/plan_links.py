"""Links other apps add to the week plan page (recognition's award categories), so events need
not know them: an app registers a label and a URL name that takes the week's year."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PlanLink:
    label: str
    url_name: str
    order: int = 100


_LINKS: dict[str, PlanLink] = {}


def register(link: PlanLink) -> PlanLink:
    _LINKS[link.url_name] = link
    return link


def links_for(year: int) -> list[tuple[str, str]]:
    """(label, url) of every registered link for the week of `year`, in order."""
    return [
        (link.label, reverse(link.url_name, args=[year]))
        for link in sorted(_LINKS.values(), key=lambda link: (link.order, link.label))
    ]
