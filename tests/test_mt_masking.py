"""Protected spans are hidden from the engine and always come back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mt.masking import PLACEHOLDER, Masker, unmask

GLOSSARY = [("Bali Process", "Bali Process"), ("Ad Hoc Group", "Ad Hoc Group")]


@pytest.fixture(scope="module")
def masker() -> Masker:
    return Masker(GLOSSARY)


@pytest.mark.parametrize(
    "source, kinds, restored",
    [
        ("kerjasama pidana internasional.[1]", ["footnote"], "kerjasama pidana internasional.[1]"),
        ("diakses melalui www.baliprocess.net/files/AHG_SOM-0FINAL.DOC, pada tanggal 26 Juni 2015.",
         ["url", "date"], "diakses melalui www.baliprocess.net/files/AHG_SOM-0FINAL.DOC, pada tanggal 26 June 2015."),
        ("Hubungi info@example.org atau https://example.org/a_b?c=1).", ["email", "url"],
         "Hubungi info@example.org atau https://example.org/a_b?c=1)."),
        ("Sekitar 1.250 orang (12,5%) tiba 3 Mei.", ["number", "number", "date"],
         "Sekitar 1,250 orang (12.5%) tiba 3 May."),
        ("anggota bali process dan Ad Hoc Group mencapai 50 negara", ["term", "term", "number"],
         "anggota Bali Process dan Ad Hoc Group mencapai 50 negara"),
        ("pada 26/06/2015 dan 2015-06-26, versi 1.2.3", ["date", "date", "number"],
         "pada 26/06/2015 dan 2015-06-26, versi 1.2.3"),
        ("Harga sekitar Rp150.000 pada tahun 2023.", ["currency", "number"],
         "Harga sekitar Rp150,000 pada tahun 2023."),
        ("Rp 150.000, Rp. 1.250,50, US$5, $5 dan (€5).", ["currency"] * 5,
         "Rp 150,000, Rp. 1,250.50, US$5, $5 dan (€5)."),
        ("Jalankan `giling --halus 2` atau ``a ` b`` sekarang.", ["code", "code"],
         "Jalankan `giling --halus 2` atau ``a ` b`` sekarang."),
        ('Lihat [situs](https://example.org/kopi) dan [Kopi](https://id.wikipedia.org/wiki/Kopi_(minuman) "Kopi").',
         ["link-open", "link", "link-open", "link"],
         'Lihat [situs](https://example.org/kopi) dan [Kopi](https://id.wikipedia.org/wiki/Kopi_(minuman) "Kopi").'),
    ],
)
def test_spans_are_masked_and_restored_in_place(masker, source, kinds, restored):
    masked = masker.mask(source)
    assert [span.kind for span in masked.spans] == kinds
    for span in masked.spans:
        assert span.text not in masked.text  # the engine never sees it
    result = unmask(masked.text, masked)  # an engine that copies its input
    assert result.text == restored
    assert result.lost == ()


def mangling_engine(text: str) -> str:
    """Copies placeholders; upper-cases every other word, drops backticks, link markup and digit grouping."""
    text = re.sub(r"[`()\]]|(?<=\d)\.(?=\d)", "", text)
    return re.sub(r"\b(?!ZX\d)\w+", lambda m: m.group().upper(), text)


@pytest.mark.parametrize(
    "source, restored",
    [
        ("Harga sekitar Rp150.000 pada tahun 2023.", "HARGA SEKITAR Rp150,000 PADA TAHUN 2023."),
        ("Giling dengan `giling --halus` lalu lihat [situs koperasi](https://example.org/kopi) untuk **harga**.",
         "GILING DENGAN `giling --halus` LALU LIHAT [SITUS KOPERASI](https://example.org/kopi) UNTUK **HARGA**."),
        ('Lihat [situs](https://example.org/kopi "Koperasi").',
         'LIHAT [SITUS](https://example.org/kopi "Koperasi").'),
    ],
)
def test_amounts_code_and_link_targets_survive_an_engine_that_mangles_them(masker, source, restored):
    masked = masker.mask(source)
    result = unmask(mangling_engine(masked.text), masked)
    assert result.text == restored
    assert result.lost == ()


def test_a_lost_half_of_a_link_goes_next_to_the_half_that_came_back_and_is_reported(masker):
    masked = masker.mask("Lihat [situs koperasi](https://example.org/kopi) untuk harga.")
    assert masked.text == "Lihat ZX0 situs koperasi ZX1 untuk harga."
    result = unmask("See the cooperative site ZX1 for prices.", masked)  # "[" lost
    assert result.text == "See the cooperative [site](https://example.org/kopi) for prices."
    assert [span.text for span in result.lost] == ["["]
    result = unmask("See ZX0 cooperative site for prices.", masked)  # the target lost
    assert result.text == "See [cooperative](https://example.org/kopi) site for prices."
    assert [span.text for span in result.lost] == ["](https://example.org/kopi)"]


def test_a_pair_lost_whole_is_appended_with_the_text_it_wrapped(masker):
    masked = masker.mask("Lihat [situs koperasi](https://example.org/kopi) untuk **harga** kopi.")
    result = unmask("See the cooperative site for the price of coffee.", masked)
    assert result.text == ("See the cooperative site for the price of coffee "
                           "[situs koperasi](https://example.org/kopi) **harga**.")
    assert len(result.lost) == 4


@pytest.mark.parametrize("source, kinds", [
    ("Kopi **Sulawesi** dan __Toraja__ itu *enak* dan _murah_.", ["emphasis"] * 8),
    ("Gambar ![logo kopi](img/logo.png) di sini.", ["image-open", "link"]),
    ("Lihat <https://example.org/kopi> atau <info@example.org>.", ["autolink", "autolink"]),
    ("Catatan kaki.[^1] Dan yang lain.[^catatan] Dan lagi [2].", ["footnote"] * 3),
    ("Nama snake_case_name dan 2*3*4 tetap.", ["number", "number", "number"]),  # no emphasis in either
    ("Kode `a **b** c` tetap.", ["code"]),  # markers inside inline code are code
])
def test_markdown_markup_is_masked_in_pairs_and_comes_back_whole(masker, source, kinds):
    masked = masker.mask(source)
    assert [span.kind for span in masked.spans] == kinds
    assert unmask(masked.text, masked).text == source
    result = unmask(mangling_engine(masked.text), masked)
    assert result.lost == ()


def test_a_url_is_one_span_even_with_numbers_inside(masker):
    masked = masker.mask("lihat www.baliprocess.net/files/1206016th_AHG.DOC sekarang")
    assert [s.text for s in masked.spans] == ["www.baliprocess.net/files/1206016th_AHG.DOC"]
    assert masked.text == "lihat ZX0 sekarang"


def test_words_that_merely_contain_a_term_are_not_masked(masker):
    assert masker.mask("Bali Processes dan xBali Process").spans == ()


def test_a_lost_placeholder_is_appended_and_reported(masker):
    masked = masker.mask("Pertemuan Bali Process pada tahun 2002.[1]")
    # The "model" dropped the term, garbled the number and kept the marker.
    result = unmask("The ZXq meeting in the year. ZX2", masked)
    assert result.text == "The meeting in the year.[1] Bali Process 2002"
    assert [span.text for span in result.lost] == ["Bali Process", "2002"]


def test_placeholders_a_model_reshaped_are_still_found(masker):
    masked = masker.mask("Tahun 2002 dan 2003.")
    result = unmask("zx 0 and Z X1.", masked)
    assert result.text == "2002 and 2003."
    assert result.lost == ()


@pytest.mark.parametrize(
    "output, restored, lost",
    [
        ("In Z0 Z1, and Z100 countries.", "In 2002 2003, and countries 100.", ["100"]),
        ("In Z 0 and ZX1, Z0 ZX2 countries.", "In 2002 and 2003, 100 countries.", []),
    ],
)
def test_placeholders_that_lost_their_x_are_still_found(masker, output, restored, lost):
    masked = masker.mask("Pada 2002 dan 2003, ada 100 negara.")
    result = unmask(output, masked)
    assert result.text == restored
    assert [span.text for span in result.lost] == lost


def test_placeholders_that_lost_their_x_are_left_alone_where_the_source_has_such_a_word(masker):
    masked = masker.mask("BMW Z3 dirilis pada 1995.")
    assert unmask(masked.text, masked).text == "BMW Z3 dirilis pada 1995."
    result = unmask("The BMW Z3 was released in Z0.", masked)  # "Z0" may be garbled, "Z3" is not
    assert result.text == "The BMW Z3 was released in Z0 1995."
    assert [span.text for span in result.lost] == ["1995"]


def test_a_repeated_placeholder_is_restored_once(masker):
    masked = masker.mask("Pada 2002.")
    assert unmask("In ZX0 ZX0.", masked).text == "In 2002."


@pytest.mark.parametrize(
    "source",
    [
        "Kawasaki Ninja ZX-25R dirilis pada 2014.",
        "Sinclair ZX81 dirilis pada 1981.",
        "Kode ZX1 dan angka 5 dan 7.",
        "Model zx81, ZX1a, ZX1_foo dan foo-ZX2 (ZX81) serta Z X1.",
    ],
)
def test_source_words_that_look_like_placeholders_come_back_as_written(masker, source):
    masked = masker.mask(source)
    result = unmask(masked.text, masked)  # an engine that copies its input
    assert result.text == source
    assert result.lost == ()


def test_a_dropped_placeholder_hiding_a_placeholder_like_word_is_reported(masker):
    masked = masker.mask("Sinclair ZX81 dirilis pada 1981.")
    assert [span.text for span in masked.spans] == ["ZX81", "1981"]
    result = unmask("Sinclair was released in ZX1.", masked)  # the "model" dropped ZX0
    assert result.text == "Sinclair was released in 1981 ZX81."
    assert [span.text for span in result.lost] == ["ZX81"]


def test_a_sentence_of_spans_only_needs_no_engine(masker):
    assert not masker.mask("[1]").needs_engine
    assert not masker.mask("26 Juni 2015.").needs_engine
    assert masker.mask("Pada 2015.").needs_engine


SPANS = st.sampled_from(["[1]", "[12]", "2002", "1.250", "26 Juni 2015", "www.x.org/a", "a@b.org", "Bali Process",
                         "ZX1", "ZX81", "Rp150.000", "US$ 5", "`a b`", "](https://x.org/a)", "**tebal**",
                         "[teks lain](https://x.org/b)", "_miring_", "[^2]", "<https://x.org/c>",
                         "<b>tebal</b>", "<br/>", "<code>x y</code>", "<a1>tautan</a1>"])
WORDS = st.sampled_from(["dan", "negara", "kerjasama", "forum", "ini", "regional", ",", ".", "Z3"])


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.one_of(SPANS, WORDS), min_size=1, max_size=12), drop=st.sets(st.integers(0, 11)))
def test_no_span_is_ever_silently_lost(masker, parts, drop):
    """Whatever placeholders the engine drops, every span's text ends up in the draft."""
    source = " ".join(parts)
    masked = masker.mask(source)
    kept = [i for i in range(len(masked.spans)) if i not in drop]
    output = re.sub(r"ZX(\d+)", lambda m: m.group() if int(m.group(1)) in kept else "", masked.text)
    result = unmask(output, masked)
    for span in masked.spans:
        assert span.replacement in result.text
    assert {s.start for s in result.lost} == {masked.spans[i].start for i in range(len(masked.spans)) if i in drop}
    assert PLACEHOLDER.format(index=0) not in result.text


@pytest.mark.parametrize("output, restored", [
    ("This is ZX1 very ZX0 important.", "This is very **important**."),  # closing before opening
    ("This is ZX0 ZX1 very important.", "This is **very** important."),  # nothing between the two
])
def test_markup_the_model_put_out_of_order_or_around_nothing_is_placed_again_and_reported(masker, output, restored):
    masked = masker.mask("Ini **sangat** penting.")
    result = unmask(output, masked)
    assert result.text == restored
    assert [span.text for span in result.lost] == ["**"]


def test_a_link_around_nothing_is_placed_again_and_reported(masker):
    masked = masker.mask("Lihat [situs koperasi](https://kop.id) untuk info.")
    result = unmask("See ZX0 ZX1 the cooperative site for info.", masked)
    assert result.text == "See [the](https://kop.id) cooperative site for info."
    assert [span.text for span in result.lost] == ["](https://kop.id)"]


# -- the tags of an HTML page's sentences (pipeline.html_inline) ---------------------------


@pytest.mark.parametrize("source, kinds", [
    ("Baca <a>berita ini</a> dan <b>itu</b>.", ["tag"] * 4),
    ("Dua <a1>tautan</a1> dan <a2>lagi</a2>, <b><i>bersarang</i></b>.", ["tag"] * 8),
    ("Jalankan <code>make extract</code> lalu <span translate=\"no\">Bali Process</span>.",
     ["html-code", "html-code"]),
    ("Alamat:<br/>Jl. Merdeka<br/>Jakarta, <img/> peta.", ["html-void", "html-void", "html-void"]),
    ("Tanda < dan <b> tanpa pasangan.", ["tag"]),
    # a comment in mid-sentence, a custom element, an XHTML CDATA section (pipeline.html_source)
    ("Kirim ke <comment1/>info@contoh.id<comment2/> ya.", ["html-void", "email", "html-void"]),
    ("Ini <x1>komponen</x1> dan <x2>word</x2>.", ["tag"] * 4),
    ("Satu <cdata translate=\"no\">a < b</cdata> dua.", ["html-code"]),
])
def test_html_tags_are_masked_in_pairs_and_come_back_whole(masker, source, kinds):
    masked = masker.mask(source)
    assert [span.kind for span in masked.spans] == kinds
    assert "<" not in re.sub(r"< dan", "", masked.text)  # the engine sees no tag
    assert unmask(masked.text, masked).text == source
    assert unmask(mangling_engine(masked.text), masked).lost == ()


def test_a_lost_end_tag_goes_back_after_the_word_its_start_tag_opened(masker):
    masked = masker.mask("Baca <a>berita ini</a> sekarang.")
    result = unmask("Read ZX0 this news now.", masked)
    assert result.text == "Read <a>this</a> news now."
    assert [span.text for span in result.lost] == ["</a>"]
