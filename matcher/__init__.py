"""Policy matcher: a company's profile -> the articles that apply to it."""

from matcher.match import INSTITUTION_GROUP, UNCLEAR, Group, MatchItem, match
from matcher.profile import CERTIFICATIONS, INDUSTRIES, NEEDS, SIZES, STAGES, Profile

__all__ = [
    "CERTIFICATIONS",
    "INDUSTRIES",
    "INSTITUTION_GROUP",
    "NEEDS",
    "SIZES",
    "STAGES",
    "UNCLEAR",
    "Group",
    "MatchItem",
    "Profile",
    "match",
]
