"""Policy matcher: a company's profile -> a checklist of the measures it can use, ranked by fit."""

from matcher.checklist import INSTITUTION_GROUP, Checklist, Item, checklist
from matcher.profile import CERTIFICATIONS, INDUSTRIES, NEEDS, SIZES, STAGES, Profile
from matcher.verdict import CHECK, MET, UNMET

__all__ = [
    "CERTIFICATIONS",
    "CHECK",
    "INDUSTRIES",
    "INSTITUTION_GROUP",
    "MET",
    "NEEDS",
    "SIZES",
    "STAGES",
    "UNMET",
    "Checklist",
    "Item",
    "Profile",
    "checklist",
]
