"""``{% pk_url %}`` gives the very address ``{% url %}`` does, under a script prefix too."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.templatetags.fast_urls import pk_url


@pytest.mark.parametrize("pk", [1, 7, 42, 918_273_645])
def test_a_record_page_address_is_the_one_reverse_gives(pk):
    assert pk_url("children:detail", pk) == reverse("children:detail", args=[pk])
    assert pk_url("stories:observation", pk) == reverse("stories:observation", args=[pk])


def test_the_template_tag_writes_the_same_link_as_the_url_tag():
    context = Context({"ids": [3, 12, 305]})
    fast = Template("{% load fast_urls %}{% for pk in ids %}{% pk_url 'children:detail' pk %} {% endfor %}")
    plain = Template("{% for pk in ids %}{% url 'children:detail' pk %} {% endfor %}")
    assert fast.render(context) == plain.render(context)


def test_a_site_served_under_a_prefix_gets_its_prefix_in_the_address():
    set_script_prefix("/keystory/")
    try:
        assert pk_url("children:detail", 5) == reverse("children:detail", args=[5])
        assert pk_url("children:detail", 5).startswith("/keystory/")
    finally:
        set_script_prefix("/")
    assert not pk_url("children:detail", 5).startswith("/keystory/")


def test_what_is_not_an_id_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        pk_url("children:detail", "../admin")
