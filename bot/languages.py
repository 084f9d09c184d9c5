"""The languages the assistant speaks: ONE table that every module reads.

Each row: the ISO 639-1 ``code``; the ``script`` (a character class of the letters only this
language uses among ours; ``None`` for Latin-script languages, told apart by ``cue_words``); the
``home`` country people writing it usually come from (a hint for contacts, never a decision); the
codes clients send for it (``aliases``); the Tesseract ``ocr_pack`` that reads it; and its gettext
catalog (:func:`catalog`). Adding a language starts here: see "Adding a language" in
CONTRIBUTING.md; ``tests/test_languages.py`` fails until every table, content file and catalog
has it. No imports beyond the standard library: everything may import this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Language:
    """One language the assistant serves (see the module docstring for the fields)."""

    code: str
    name: str
    script: str | None
    home: str | None
    aliases: tuple[str, ...]
    ocr_pack: str
    cue_words: tuple[str, ...] = ()


# Cue words: frequent, distinctive words of a Latin-script language (after ``normalize``, so
# lower case). Words shared by two of our languages (e.g. "ko", "kami", "di") are left out or
# weighted low. Vietnamese words are listed without diacritics: people often type without them.
# Nepali has cue words for messages typed in Latin letters (romanised).
TABLE: tuple[Language, ...] = (
    Language(
        code="en",
        name="English",
        script=None,
        home=None,
        aliases=('eng',),
        ocr_pack="eng",
        cue_words=(
            "the a an is are was were be been am i i'm im you your my me we our they their he she "
            "it it's its this that these those what which who whom how why when where there here "
            "and or but so if then than because for of to from with about into at by on in "
            "do does did done don't dont doesn't didn't can can't cannot could would should will "
            "won't shall may might must have has had not no yes please thanks thank help need "
            "want know think get got going go come contact someone anyone something any some all "
            "very really just also still only again want wanted looking friend family told said "
            "say says dunno scared afraid took take taken let "
            "leave stuck trapped locked hear heard tell asked ask should sure okay yet now "
            "u ur pls plz thx wanna gonna gotta ain't isn't aren't wasn't there's what's where's"
        ).split(),
    ),
    Language(
        code="th",
        name="Thai",
        script="[\u0e01-\u0e4e]",
        home="TH",
        aliases=('tha',),
        ocr_pack="tha",
    ),
    Language(
        code="my",
        name="Burmese",
        script="[\u1000-\u103f\u1050-\u108f\u109a-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]",
        home="MM",
        aliases=('bur', 'mya'),
        ocr_pack="mya",
    ),
    Language(
        code="km",
        name="Khmer",
        script="[\u1780-\u17d3\u17dc\u17dd\u19e0-\u19ff]",
        home="KH",
        aliases=('khm',),
        ocr_pack="khm",
    ),
    Language(
        code="lo",
        name="Lao",
        script="[\u0e81-\u0ecd\u0edc-\u0edf]",
        home="LA",
        aliases=('lao',),
        ocr_pack="lao",
    ),
    Language(
        code="vi",
        name="Vietnamese",
        script=None,
        home="VN",
        aliases=('vie',),
        ocr_pack="vie",
        cue_words=(
            "toi minh ban khong ko k dc duoc lam viec giup nguoi cua nhung nay vay gi sao roi "
            "nhe nha oi em anh chi muon biet bao nhieu tien luong thang ngay xin chao cam "
            "cung voi va hay hoac phai khi neu sang viet nam campuchia tuyen dung di den ve "
            "thi la ma nua lai bi dang da se chua can cho o tai dau day kia ai nao the "
            "giay to ho chieu cong ty cty lua dao nha tro giam bi danh so hai doi an "
            "uong ve nuoc bo me gia dinh ho tro cuu voi vs j ntn sdt zalo huhu "
            "khong ko hok hong dau ra vao len xuong trong ngoai tren duoi truoc sau bay gio "
            "luc nao bao gio may tuoi nhieu it lam on vui long xin loi cam on cac nhung moi "
            "rat qua lam nen phai duoc bi boi vi tai sao nhu the nao the nao hoi tra loi "
            "nhan tin nhan goi dien thoai mang mat lien lac cong an canh sat dai su quan "
            "ho chieu tien luong trieu nghin ngan dong do la an o ngu nghi "
            "giup do cuu voi voi em anh chi co chu bac ong ba con chau ban be"
        ).split(),
    ),
    Language(
        code="id",
        name="Indonesian",
        script=None,
        home="ID",
        aliases=('in', 'ind', 'ms', 'msa', 'zsm'),
        ocr_pack="ind",
        cue_words=(
            "yang tidak tak gak nggak ngga enggak engga saya aku kamu anda kak kakak gaji kerja "
            "bekerja pekerjaan lowongan dan dari untuk dengan ini itu ada bisa mau akan sudah udah "
            "belum apa bagaimana gimana kenapa mengapa tolong bantu bantuan terima kasih makasih "
            "mereka kita juga atau tapi tetapi karena karna dong deh sih nih kok banget uang duit "
            "dapat dapet minta pulang perusahaan kantor orang bulan juta ribu rupiah boleh "
            "disini disana kesini kesana sekarang nanti kalau kalo kapan dimana berapa bagaimana "
            "teman keluarga saudara paspor dokumen agensi penipuan tertipu disekap dipukul takut "
            "lapar butuh perlu tinggal bekerja selamat pagi siang sore malam halo hai mas mbak "
            "bapak ibu pak bu bang abang adik sama aja saja lagi masih jadi harus punya baru "
            "pernah sedang lagi tolongin gue lu lo elo ya yah iya tentang apakah benar asli "
            "tanpa mohon bukan lewat setelah sebelum supaya agar sampai soal cuma hanya banyak "
            "sedikit besar kecil baik bagus segera sekali semua hubungi berminat diri sendiri "
            "kami kalian beliau adalah ialah oleh pada bahwa seperti sangat lebih kurang ingin "
            "tahu tau kasih bilang kata katanya gaji gajinya kerjaan loker biaya bayar tiket "
            "pesawat berangkat luar negeri negara tenaga pekerja migran disekap dikurung ditahan "
            "kabur lari takut tolong cepat kenapa gimana nggak enggak gak ga ngga sampe udh blm "
            "yg dgn utk krn sy tdk jg aja emang memang beneran bener nak tak pasal betul ke "
            "daftar mendaftar melamar lamar kirim pesan telepon nomor hubungi"
        ).split(),
    ),
    Language(
        code="tl",
        name="Tagalog (Filipino)",
        script=None,
        home="PH",
        aliases=('fil', 'tgl'),
        ocr_pack="fil",
        cue_words=(
            "po opo ang ng mga sa ako ikaw ka siya kami tayo sila niya nila namin natin ninyo "
            "ito iyan iyon yan yun yung dito diyan doon nasa para pag kung kapag din rin daw raw "
            "nga naman lang kasi pero hindi wala walang meron mayroon gusto pwede puwede ba "
            "salamat tulong tulungan trabaho sweldo suweldo sahod kailangan paano saan bakit ano "
            "sino kailan ilan magkano nakakulong kinulong binugbog takot gutom umuwi uwi pauwi "
            "kuya ate tita tito nanay tatay kapatid pinsan anak asawa kaibigan amo ahensya "
            "pasaporte kinuha bayad pera utang makauwi mag magandang maganda umaga hapon gabi "
            "kumusta kamusta musta lalo talaga sobra ayaw akong ko mo niyo natin kayo nyo "
            "alam tanong totoo ba ganito ganyan ngayon bukas kahapon na naman sana "
            "malaki maliit mabuti dapat lahat isang ibang nang lamang kaya tapos muna agad "
            "nandito andito andun dun nandoon diyan ung un nung noon pang pong kong mong "
            "akin amin atin inyo kanila kanya sakin samin satin sayo sya cla nag trabahador "
            "kumpanya kompanya bahay pamasahe pauwi umuwi uuwi makauwi makaalis nakauwi "
            "tumulong tulungan pakitulong paki pakiusap bakit saan ano anong sinong ilang "
            "marami konti oo hindi huwag wag bawal lumabas pinapalabas sabi nila natatakot "
            "kasama kakilala pinsan kuya ate bes pre tol ganun ganon"
        ).split(),
    ),
    Language(
        code="zh",
        name="Chinese (simplified)",
        script="[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]",
        home="CN",
        aliases=('zho', 'chi', 'cmn', 'yue'),
        ocr_pack="chi_sim",
    ),
    Language(
        code="ne",
        name="Nepali",
        script="[\u0900-\u0963\u0971-\u097f\ua8e0-\ua8ff]",
        home="NP",
        aliases=('nep', 'npi'),
        ocr_pack="nep",
        cue_words=(
            "malai hamilai tapai tapain tapaiko tapailai hajur mero hamro timro timi uniharu "
            "garnu garna garne garnus garnuhos garera gareko garyo gardai gardaina garchu garchha "
            "chha chhu chhau chaina chhaina chainan hunchha huncha hunchhu hudaina bhayo bhaena "
            "bhaneko bhanyo bhanchha bhancha bhanera kasari kahile kaha kati kina paryo parchha "
            "parcha pardaina sakdina sakinchha sakchu chahiyo chahinchha chahincha chahiye "
            "dhanyabad dhanyawad namaste namaskar hoina thik cha chu farkana farkinu farkera "
            "pathaunu pathayo aafno afno sathi sathiharu didi bahini daju bhai aama buwa "
            "fasiyeko fasyo thunera kutyo pitnu paisa tirnu kaam garnuparchha dinus dinuhos "
            "xa xaina xu garxu hunxa kei sanga"
        ).split(),
    ),
)
#: Rows by code.
BY_CODE: dict[str, Language] = {language.code: language for language in TABLE}
#: The codes, in the order menus show them.
CODES: tuple[str, ...] = tuple(language.code for language in TABLE)


def catalog(code: str, locales: Path | None = None) -> Path:
    """The gettext catalog of ``code`` (``locales/<code>/LC_MESSAGES/messages.po``)."""
    return (locales or ROOT / "locales") / code / "LC_MESSAGES" / "messages.po"


def home_country(code: str | None) -> str | None:
    """The country a language is usually written from (``None`` for English or unknown)."""
    language = BY_CODE.get((code or "").strip().lower())
    return language.home if language else None
