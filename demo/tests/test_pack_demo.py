"""A leaver pack built for demo children, unzipped and checked: no other child's name, no photo without consent."""

import io
import json
import re
import zipfile

import jsonschema
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from children.models import Child, ConsentPurpose
from children.selectors import children_with_consent
from demo.data import load_demo
from learning_stories.models import ObservationPhoto
from learning_stories.story.selectors import photo_children
from transitions.leaver_pack.packs import SCHEMA_PATH

pytestmark = pytest.mark.django_db


def unzip(child: Child, tmp_path) -> zipfile.ZipFile:
    path = tmp_path / f"{child.pk}.zip"
    call_command("leaver_pack", child.pk, str(path), stdout=io.StringIO())
    return zipfile.ZipFile(path)


@pytest.mark.parametrize("first_name", ["Ava", "Zara", "Ruby"])
def test_demo_childs_pack_names_no_other_child_and_shows_no_photo_without_consent(first_name, tmp_path):
    load_demo()
    child = Child.objects.get(first_name=first_name)
    archive = unzip(child, tmp_path)
    pack = json.loads(archive.read("pack.json"))
    book = PdfReader(io.BytesIO(archive.read("story.pdf")))
    book_text = "\n".join(page.extract_text() for page in book.pages)

    jsonschema.validate(pack, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())
    assert pack["entries"]
    others = Child.objects.filter(observations__child_links__child=child).exclude(pk=child.pk).distinct()
    names = {name for other in others for name in (other.first_name, other.preferred_name) if name}
    names -= {child.first_name, child.preferred_name}
    for name in names:
        pattern = rf"\b{re.escape(name)}\b"
        assert not re.search(pattern, json.dumps(pack["entries"], ensure_ascii=False)), name
        assert not re.search(pattern, book_text), name
    packed = {int(name.rsplit("-", 1)[1].split(".")[0]) for name in archive.namelist() if name.startswith("photos/")}
    for photo in ObservationPhoto.objects.filter(pk__in=packed).select_related("observation"):
        in_it = {c.pk for c in photo_children(photo, photo.observation)} - {child.pk}
        assert in_it <= children_with_consent(in_it, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    assert {"story.pdf", "pack.json", "README.txt"} <= set(archive.namelist())


def test_the_demo_leavers_pack_has_her_whole_story_her_report_and_only_the_photos_her_family_may_see(tmp_path):
    load_demo()
    ruby = Child.objects.get(first_name="Ruby")  # left four days ago; her family still has access
    archive = unzip(ruby, tmp_path)
    files = archive.namelist()
    pack = json.loads(archive.read("pack.json"))
    book = PdfReader(io.BytesIO(archive.read("story.pdf")))
    book_text = "\n".join(page.extract_text() for page in book.pages)

    assert len(pack["entries"]) == 8  # every entry of hers, oldest first
    assert [entry["observed_at"] for entry in pack["entries"]] == sorted(e["observed_at"] for e in pack["entries"])
    assert len(book.pages) >= 2
    assert "reports/transition-report.pdf" in files  # shared with the family before she left
    assert "George" not in json.dumps(pack)  # named in the text: "a friend"
    assert "George" not in book_text
    assert "explained to a friend how the magnets" in book_text
    # Six of her seven photos: the sunflower one shows Zara, whose family keeps her to her own story.
    assert len([name for name in files if name.startswith("photos/")]) == 6
