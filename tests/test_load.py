"""Loading sources: files, stdin, and URLs from a local server (no test reaches the internet)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from articleaudio.errors import SourceError
from articleaudio.settings import Settings
from articleaudio.source.load import load_source

from .conftest import SAMPLE, LocalServer


def test_html_file_is_html() -> None:
    assert load_source(str(SAMPLE)).kind == "html"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.html", "no such file"),
        (b"", "empty.txt", "is empty"),
        (b"   \n\n", "blank.txt", "is empty"),
        (b"\x00\x01\x02binary\x00", "blob.txt", "binary file"),
        (b"%PDF-1.7\n...", "doc.html", "binary file"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes | None, name: str, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        load_source(str(path))
    assert str(path) in str(info.value)


def test_file_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(SourceError, match="over the 100-byte limit"):
        load_source(str(path), Settings(max_bytes=100))


def test_stdin_html_and_text_are_detected() -> None:
    assert load_source("-", stdin=io.BytesIO(b"<!doctype html><html><body><p>Hi</p></body></html>")).kind == "html"
    assert load_source("-", stdin=io.BytesIO(b"Just some words.\n")).kind == "text"


def test_url_is_fetched_with_its_charset(server: LocalServer) -> None:
    body = "<html><body><p>Привет, мир — это тест.</p></body></html>".encode("windows-1251")
    url = server.add("/ru", body, "text/html; charset=windows-1251")
    source = load_source(url)
    assert source.kind == "html" and source.url == url
    assert "Привет, мир" in source.text()


def test_meta_charset_is_used_when_the_header_has_none(server: LocalServer) -> None:
    body = '<html><head><meta charset="shift_jis"></head><body><p>日本語の記事です。</p></body></html>'.encode("shift_jis")
    url = server.add("/jp", body, "text/html")
    assert "日本語の記事です" in load_source(url).text()


def test_redirects_are_followed_up_to_five(server: LocalServer) -> None:
    final = server.add("/final", b"<html><body><p>ok</p></body></html>")
    server.redirect("/r1", final)
    assert load_source(server.base + "/r1").url == final
    target = final
    for i in range(6, 0, -1):
        target = server.redirect(f"/loop{i}", target)
    with pytest.raises(SourceError, match="more than 5 redirects"):
        load_source(server.base + "/loop1")


@pytest.mark.parametrize(
    ("path", "ctype", "status", "message"),
    [
        ("/missing", "text/html", 404, "HTTP 404"),
        ("/doc.pdf", "application/pdf", 200, "serves application/pdf, not HTML or text"),
        ("/photo", "image/jpeg", 200, "serves image/jpeg"),
    ],
)
def test_http_errors_and_wrong_types(server: LocalServer, path: str, ctype: str, status: int, message: str) -> None:
    url = server.add(path, b"%PDF-1.4 or JPEG bytes", ctype, status=status)
    with pytest.raises(SourceError, match=message) as info:
        load_source(url)
    assert url in str(info.value)


def test_page_over_the_size_cap(server: LocalServer) -> None:
    url = server.add("/big", b"<p>" + b"x" * 5000 + b"</p>")
    with pytest.raises(SourceError, match="over the 1,000-byte limit"):
        load_source(url, Settings(max_bytes=1000))


def test_slow_server_times_out(server: LocalServer) -> None:
    url = server.add("/slow", b"<p>late</p>", delay=3.0)
    with pytest.raises(SourceError, match="timed out"):
        load_source(url, Settings(timeout=1.0))


def test_connection_refused_is_one_clear_error() -> None:
    with pytest.raises(SourceError, match="cannot be fetched"):
        load_source("http://127.0.0.1:9/nothing-listens-here")


# issue 19: a page in each encoding the web uses, declared and undeclared, from a file and over HTTP.
_STORIES = {
    "windows-1252": "Le café du coin a décidé de fermer ses portes après trente ans. Les habitués étaient très déçus, mais le "
    "propriétaire voulait prendre sa retraite à la campagne. « C'était une décision difficile », a-t-il déclaré.",
    "iso-8859-1": "El niño comió paella en la playa. ¿Qué pasó después? Nadie lo sabe, pero la señora García dijo que "
    "había visto todo desde el balcón.",
    "windows-1250": "Władze miasta ogłosiły w poniedziałek, że nowa linia tramwajowa zostanie otwarta jesienią. Mieszkańcy "
    "od lat czekali na to połączenie, które skróci dojazd do centrum o kwadrans.",
    "iso-8859-2": "Městská rada v úterý schválila rozpočet na příští rok. Největší část peněz půjde na opravy škol a silnic, "
    "řekl starosta. Opozice kritizovala, že na kulturu zbyde méně než loni.",
    "windows-1251": "Городские власти объявили в понедельник, что новая линия метро откроется осенью. Жители давно ждали "
    "этого события, ведь дорога до центра сократится на четверть часа.",
    "koi8-r": "Стоимость строительства превысила сто миллиардов рублей, сообщили в мэрии. Первые поезда пройдут по "
    "новой линии уже в сентябре, а полностью она заработает к зиме.",
    "windows-1253": "Οι αρχές της πόλης ανακοίνωσαν τη Δευτέρα ότι η νέα γραμμή του μετρό θα ανοίξει το φθινόπωρο. Οι "
    "κάτοικοι περίμεναν χρόνια αυτή τη σύνδεση.",
    "windows-1254": "Belediye başkanı salı günü yaptığı açıklamada, köprünün gelecek ilkbaharda yenileneceğini söyledi. "
    "Mahalle sakinleri çalışmalar sırasında alternatif yolları kullanmak zorunda kalacak.",
    "windows-1255": "ראש העירייה הודיעה ביום שלישי כי הגשר מעל הנהר ישופץ באביב הבא. את רוב העלויות תממן המדינה.",
    "windows-1256": "أعلنت السلطات المحلية يوم الاثنين أن خط المترو الجديد سيفتتح في الخريف المقبل. وكان السكان ينتظرون "
    "هذا الخط منذ سنوات.",
    "windows-1257": "Miesto valdžia pirmadienį paskelbė, kad nauja tramvajaus linija bus atidaryta rudenį. Gyventojai šios "
    "jungties laukė daugelį metų.",
    "shift_jis": "市当局は月曜日、新しい地下鉄路線が秋に開業すると発表した。住民は長年この路線を待ち望んでいた。",
    "euc-jp": "建設費は一千億円を超えた。最初の列車は九月に走り、冬までに全線が開業する予定だという。",
    "gb18030": "市政府周一宣布，新的地铁线路将于秋季开通。居民们多年来一直期待这条线路。",
    "big5": "市政府週一宣布，新的地鐵路線將於秋季開通。居民們多年來一直期待這條路線。",
    "euc-kr": "시 당국은 월요일 새 지하철 노선이 가을에 개통된다고 발표했다. 주민들은 오랫동안 이 노선을 기다려 왔다.",
}


@pytest.mark.parametrize("encoding", sorted(_STORIES))
def test_pages_in_the_webs_encodings_decode_declared_or_not(encoding: str, tmp_path: Path, server: LocalServer) -> None:
    story = _STORIES[encoding]
    page = f"<html><head>{{meta}}<title>News</title></head><body><article><p>{story}</p></article></body></html>"
    undeclared = page.replace("{meta}", "").encode(encoding)
    declared = page.replace("{meta}", f'<meta charset="{encoding}">').encode(encoding)
    (tmp_path / "undeclared.html").write_bytes(undeclared)
    (tmp_path / "declared.html").write_bytes(declared)
    (tmp_path / "story.txt").write_bytes(story.encode(encoding))
    sources = [
        load_source(str(tmp_path / "undeclared.html")),
        load_source(str(tmp_path / "declared.html")),
        load_source(str(tmp_path / "story.txt")),
        load_source(server.add("/plain", undeclared, "text/html")),
        load_source(server.add("/header", undeclared, f"text/html; charset={encoding}")),
        load_source(server.add("/meta", declared, "text/html")),
    ]
    for source in sources:
        assert story in source.text(), source.name


def test_arabic_in_presentation_forms_is_read_as_arabic_letters(tmp_path: Path) -> None:
    # issue 19: a page written in presentation forms (U+FE70-U+FEFF) was spelled glyph by glyph
    import unicodedata

    from articleaudio.extract import extract_article

    isolated = {}
    for code in range(0xFE70, 0xFF00):
        name = unicodedata.name(chr(code), "")
        if "ISOLATED FORM" in name and len(unicodedata.normalize("NFKC", chr(code))) == 1:
            isolated.setdefault(unicodedata.normalize("NFKC", chr(code)), chr(code))
    story = _STORIES["windows-1256"] + " " + _STORIES["windows-1256"].replace("المحلية", "الوطنية")
    shown = "".join(isolated.get(ch, ch) for ch in story)
    assert shown != story and sum(0xFE70 <= ord(c) <= 0xFEFF for c in shown) > 50
    page = tmp_path / "old.html"
    page.write_bytes(f"<html><head><title>خبر</title></head><body><article><p>{shown}</p></article></body></html>".encode())
    article = extract_article(load_source(str(page)))
    assert story in article.paragraphs[0] and article.language == "ar"
