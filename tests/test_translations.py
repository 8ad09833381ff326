"""Families' languages: every string families see is translated in all nine languages, the committed .mo files
match the .po files, and Polish, Arabic and Welsh parents read their pages and e-mails in their language."""

import re
import shutil
from html.parser import HTMLParser

import polib
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.languages import NAMES_IN_THEMSELVES
from conftest import require
from core import translations
from learning_stories.models import Area, Aspect, Observation
from learning_stories.observations import services
from learning_stories.tests.factories import ObservationFactory, area

LANGUAGES = translations.translated_languages()
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_there_is_a_catalogue_for_each_of_the_nine_languages():
    assert LANGUAGES == ["pl", "ro", "ur", "pa", "bn", "ar", "pt", "es", "cy"]
    for code in LANGUAGES:
        assert translations.po_path(code).exists()


def test_the_committed_mo_files_match_the_po_files():
    assert translations.stale() == [], "run `make messages` (or manage.py messages --compile-only) and commit"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_in_the_catalogue_is_translated(code):
    assert translations.untranslated(translations.po_path(code)) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_the_placeholders_and_tags_of_the_english(code):
    for entry in polib.pofile(str(translations.po_path(code))):
        if entry.msgid_plural:  # Arabic says "one", "two" in words: a form may drop the number
            forms = entry.msgstr_plural.values()
            assert all(set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(entry.msgid_plural)) for form in forms)
            continue
        assert set(PLACEHOLDER.findall(entry.msgstr)) == set(PLACEHOLDER.findall(entry.msgid)), entry.msgid
        assert entry.msgstr.count("<") == entry.msgid.count("<"), entry.msgid


def test_every_string_families_see_has_a_translation_in_every_language(tmp_path, settings, monkeypatch):
    """Extract the strings afresh from the code and templates (as `make messages` does, with GNU gettext) and
    check each language's committed catalogue translates every one: a new, unmarked-up string fails here."""
    require(bool(shutil.which("xgettext")), "needs GNU gettext (xgettext) to find the strings to translate")
    committed = {code: translations.po_path(code) for code in LANGUAGES}
    # makemessages writes next to the nearest locale/ folder: extract in a copy of the project made of links,
    # with an empty locale/ of its own, so the committed catalogues are left alone.
    for source in settings.BASE_DIR.iterdir():
        if source.is_dir() and source.name not in ("locale", ".git", ".venv", ".tools", "var", "node_modules"):
            (tmp_path / source.name).symlink_to(source)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["pl"], verbosity=0, symlinks=True, **translations.EXTRACT_OPTIONS)
    found = {entry.msgid for entry in polib.pofile(str(translations.po_path("pl", tmp_path / "locale")))}
    assert len(found) > 150  # the extraction found the templates at all
    missing = {code: translations.untranslated(path, found) for code, path in committed.items()}
    assert missing == {code: [] for code in LANGUAGES}


# --- What a parent sees --------------------------------------------------------------------------------------


class TextNodes(HTMLParser):
    """The page's visible text nodes (not scripts, styles or the hidden <title>), and its <html> attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.html: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "html":
            self.html = dict(attrs)
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def parsed(response) -> TextNodes:
    assert response.status_code == 200
    parser = TextNodes()
    parser.feed(response.content.decode())
    return parser


def template_words(node: str, own_words: list[str]) -> str:
    """What is left of a text node once the nursery's own words (names, what staff wrote), the language names
    of the switcher, numbers and punctuation are taken out: the words a template put there."""
    for words in sorted(own_words, key=len, reverse=True):
        node = node.replace(words, " ")
    return " ".join(re.findall(r"[^\W\d_]+", node))


def translated_share(english: TextNodes, other: TextNodes, own_words: list[str]) -> tuple[float, list[str]]:
    """The share of the page's template text nodes that are not the English ones, and those that are."""
    english_words = {template_words(node, own_words) for node in english.nodes} - {""}
    counted = [words for node in other.nodes if (words := template_words(node, own_words))]
    same = [words for words in counted if words in english_words]
    return 1 - len(same) / len(counted), same


@pytest.fixture
def story_world(nursery, room, practitioner, child, parent):
    entry = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], text="Ava built a tall tower with the blue bricks."
    )
    entry.areas.add(area("PD"))
    return entry


def own_words_of(nursery, room, practitioner, child, parent, entry) -> list[str]:
    words = [nursery.name, room.name, child.first_name, child.last_name, child.display_name]
    words += [child.first_name[0] + child.last_name[0], "".join(part[0] for part in practitioner.full_name.split())]
    words += [practitioner.full_name, parent.full_name, parent.get_short_name(), entry.text, "KeyStory", "EYFS"]
    words += [str(area.name) for area in entry.areas.all()] + list(NAMES_IN_THEMSELVES.values())
    # The learning framework's areas and goals are the framework's own (English) words, as the nursery chose it.
    words += [str(found.name) for found in Area.objects.all()] + [str(found.name) for found in Aspect.objects.all()]
    return words


def page_in(client, user, url: str, language: str) -> TextNodes:
    user.language = language  # read afresh from the database at each request
    user.save(update_fields=["language"])
    return parsed(client.get(url, headers={"accept-language": "en-GB"}))


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "direction"), [("pl", "ltr"), ("ar", "rtl"), ("cy", "ltr")])
def test_a_parent_reads_home_story_and_child_pages_in_their_language(
    code, direction, login, nursery, room, practitioner, child, parent, story_world
):
    own_words = own_words_of(nursery, room, practitioner, child, parent, story_world)
    client = login(parent)
    pages = [reverse("keyworker:my_children"), reverse("stories:story", args=[child.pk])]
    pages.append(reverse("children:detail", args=[child.pk]))
    for url in pages:
        english, page = page_in(client, parent, url, ""), page_in(client, parent, url, code)
        assert english.html == {"lang": "en-GB", "dir": "ltr"}
        assert page.html == {"lang": code, "dir": direction}, url
        share, still_english = translated_share(english, page, own_words)
        assert share >= 0.8, f"{url} in {code}: {share:.0%} translated; still in English: {still_english}"
    story = page_in(client, parent, pages[1], code)
    assert story_world.text in story.nodes  # the nursery's own words stay as written


@pytest.fixture
def polish_without_my_children():
    """The Polish catalogue with one string taken out, as when a new string has not been translated yet."""
    from django.utils.translation import trans_real

    catalogues = trans_real.translation("pl")._catalog._catalogs
    taken = [(catalogue, catalogue.pop("My children")) for catalogue in catalogues if "My children" in catalogue]
    assert taken
    yield
    for catalogue, text in taken:
        catalogue["My children"] = text


@pytest.mark.django_db
def test_a_string_missing_from_a_catalogue_shows_in_english_and_the_page_still_works(
    login, parent, polish_without_my_children
):
    parent.language = "pl"
    parent.save()
    page = parsed(login(parent).get(reverse("keyworker:my_children")))
    assert page.html["lang"] == "pl"
    assert "My children" in page.nodes  # the heading, in English
    assert "Dzisiaj w żłobku" in page.nodes or "Moje dzieci" not in page.nodes


@pytest.mark.django_db
@time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 8, 10, 0)), tick=False)
def test_a_polish_parent_gets_the_story_email_in_polish(
    login, nursery, practitioner, manager, child, parent, django_capture_on_commit_callbacks
):
    parent.language = "pl"
    parent.save()
    login(parent).post(reverse("stories:notifications"), {"frequency": "immediate"})
    entry = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], status=Observation.Status.AWAITING_REVIEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(observation=entry, by=manager)
    (sent,) = mail.outbox
    assert sent.subject == f"Nowość w historii nauki dziecka {child.known_as}"
    assert sent.body.startswith(f"Dzień dobry, {parent.known_as or parent.full_name},")
    assert "- Ava, 8 grudnia: http" in sent.body  # the month as Polish writes it after a day (genitive)
    assert "Do historii nauki dziecka" in sent.body
    html = sent.alternatives[0][0]
    assert '<html lang="pl" dir="ltr">' in html
    assert "Nie wysyłaj tych e-maili" in html


@pytest.mark.django_db
def test_a_parent_who_chose_no_language_gets_the_email_in_english(
    login, nursery, practitioner, manager, child, parent, django_capture_on_commit_callbacks
):
    login(parent).post(reverse("stories:notifications"), {"frequency": "immediate"}, headers={"accept-language": "pl"})
    entry = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], status=Observation.Status.AWAITING_REVIEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(observation=entry, by=manager)
    assert mail.outbox[0].subject == f"New in {child.known_as}'s learning story"
