"""Which language pages come in: the browser's, the one picked on the log-in page, or the one chosen."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    text = response.content.decode()
    return text[text.index("<html") : text.index(">", text.index("<html")) + 1]


def test_a_browser_asking_for_polish_gets_polish_before_anyone_chooses(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "pl,en;q=0.5"})
    assert html_tag(response) == '<html lang="pl" dir="ltr">'
    assert response.headers["Content-Language"] == "pl"


def test_a_browser_asking_for_nothing_we_know_gets_british_english(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "ja"})
    assert html_tag(response) == '<html lang="en-GB" dir="ltr">'


def test_arabic_and_urdu_pages_run_right_to_left_with_bootstraps_rtl_stylesheet(client):
    for code in ("ar", "ur"):
        response = client.get(reverse("accounts:login"), headers={"accept-language": code})
        assert html_tag(response) == f'<html lang="{code}" dir="rtl">'
        assert "bootstrap.rtl.min.css" in response.content.decode()
    response = client.get(reverse("accounts:login"), headers={"accept-language": "pl"})
    assert "bootstrap.rtl.min.css" not in response.content.decode()


def test_the_rtl_stylesheet_is_the_same_bootstrap_version_as_the_ltr_one():
    vendor = settings.BASE_DIR / "static" / "vendor" / "bootstrap"
    first = [
        (vendor / name).read_text(encoding="utf-8")[:120] for name in ("bootstrap.min.css", "bootstrap.rtl.min.css")
    ]
    version = first[0].split("Bootstrap")[1].split("(")[0].strip()
    assert version.startswith("v5")
    assert version in first[1]


def test_the_login_page_switcher_names_each_language_in_itself_and_keeps_the_choice(client):
    page = client.get(reverse("accounts:login")).content.decode()
    for name in ("Polski", "Română", "اردو", "ਪੰਜਾਬੀ", "বাংলা", "العربية", "Português", "Español", "Cymraeg"):
        assert name in page
    response = client.post(reverse("accounts:language"), {"language": "ro", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert html_tag(client.get(reverse("accounts:login"))) == '<html lang="ro" dir="ltr">'


def test_the_switcher_never_sends_you_to_another_site(client):
    response = client.post(reverse("accounts:language"), {"language": "pl", "next": "https://evil.example/"})
    assert response.url == reverse("accounts:login")


def test_a_parents_choice_on_the_account_page_persists_and_wins_over_the_browser(login, parent):
    client = login(parent)
    page = client.get(reverse("children:my_details")).content.decode()
    assert 'data-testid="language-choice"' in page
    response = client.post(reverse("accounts:language"), {"language": "pl", "next": reverse("children:my_details")})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.language == "pl"
    client.cookies.clear()  # e.g. another device: the account remembers
    client.force_login(parent)
    response = client.get(reverse("children:my_details"), headers={"accept-language": "es"})
    assert html_tag(response) == '<html lang="pl" dir="ltr">'
    assert 'value="pl" selected' in response.content.decode()


def test_a_parent_who_goes_back_to_the_browsers_language_follows_the_browser_again(login, parent):
    parent.language = "ar"
    parent.save()
    client = login(parent)
    client.post(reverse("accounts:language"), {"language": ""})
    parent.refresh_from_db()
    assert parent.language == ""
    response = client.get(reverse("children:my_details"), headers={"accept-language": "es"})
    assert html_tag(response) == '<html lang="es" dir="ltr">'


def test_staff_may_choose_english_or_welsh_only(login, practitioner):
    client = login(practitioner)
    client.post(reverse("accounts:language"), {"language": "pl"})
    practitioner.refresh_from_db()
    assert practitioner.language == ""
    client.post(reverse("accounts:language"), {"language": "cy"})
    practitioner.refresh_from_db()
    assert practitioner.language == "cy"
    assert html_tag(client.get(reverse("keyworker:my_key_children"))) == '<html lang="cy" dir="ltr">'


def test_staff_whose_browser_asks_for_polish_see_english_pages(login, practitioner):
    response = login(practitioner).get(reverse("keyworker:my_key_children"), headers={"accept-language": "pl"})
    assert html_tag(response) == '<html lang="en-GB" dir="ltr">'


def test_the_switcher_offers_staff_english_and_welsh_only(login, practitioner):
    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()
    assert "Cymraeg" in page
    assert "Polski" not in page
