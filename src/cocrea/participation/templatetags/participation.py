from django import template

from ..selectors import commitment_origins as origins_of

register = template.Library()


@register.inclusion_tag("participation/_commitment_origins.html")
def commitment_origins(commitment):
    """`{% load participation %}{% commitment_origins commitment %}` on a commitment page."""
    return {"commitment": commitment, "origins": origins_of(commitment)}


@register.filter
def process_url(process, page: str) -> str:
    """`{{ process|process_url:'proposals' }}`: a process page at its level's address."""
    return process.url_for(page)
