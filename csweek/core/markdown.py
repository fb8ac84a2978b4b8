"""Markdown written by coordinators, rendered to HTML that is safe to show in pages and emails."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


def render_markdown(text: str, *, base_url: str = "") -> SafeString:
    """HTML for `text`: Markdown's output cleaned by nh3 to a small set of tags, links limited to
    http(s) and mailto and opened with rel="noopener noreferrer"; raw HTML in the text is dropped
    to its words. With `base_url` (emails), a relative link ("/wall/") is made absolute on it.
    The result is marked safe: it holds nothing but what nh3 let through."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    )
    # Safe: nh3 let through only the tags, attributes and URL schemes allowed above.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308, B703
