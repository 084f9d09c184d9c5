"""Language identification for the ten languages the assistant serves.

Script first: a message containing Thai, Lao, Khmer, Burmese, Han or Devanagari letters is in that
language (we serve only Nepali among Devanagari languages), even when English words are mixed in.
Latin-script messages are told apart (en, vi, id, tl) by cheap general cues — Vietnamese-only
letters and frequent function words of each language — combined with ``langdetect`` restricted
to those four profiles.  Content-free messages ("hi", "ok", emoji, digits) are not reliable and
fall back to the channel's language hint.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot import DEFAULT_LANGUAGE, LANGUAGES
from bot.text import normalize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LanguageGuess:
    """Detected language ``code`` (one of ``LANGUAGES``) and whether the guess can be trusted."""

    code: str
    reliable: bool


# --- language codes --------------------------------------------------------------------------

# Codes that clients (Telegram's language_code, browsers) send for our languages.
_CODE_ALIASES: dict[str, str] = {
    "fil": "tl",
    "tgl": "tl",
    "in": "id",  # old ISO code for Indonesian, still sent by Android
    "ind": "id",
    "ms": "id",  # Malay is close enough to Indonesian for our content
    "msa": "id",
    "zsm": "id",
    "bur": "my",
    "mya": "my",
    "khm": "km",
    "lao": "lo",
    "tha": "th",
    "vie": "vi",
    "nep": "ne",
    "npi": "ne",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "yue": "zh",
    "eng": "en",
}


def normalize_language_code(code: str | None) -> str | None:
    """Map a client language code ("zh-hans", "fil", "in", "en_US") to one of ``LANGUAGES``.

    Returns None for empty or unsupported codes.
    """
    if not code or not isinstance(code, str):
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    base = _CODE_ALIASES.get(base, base)
    return base if base in LANGUAGES else None


# --- script pass -----------------------------------------------------------------------------

# One pattern per non-Latin script we serve; letters and signs only (digits are not evidence).
_SCRIPT_PATTERNS: dict[str, str] = {
    "th": "[\u0e01-\u0e4e]",
    "lo": "[\u0e81-\u0ecd\u0edc-\u0edf]",
    "km": "[\u1780-\u17d3\u17dc\u17dd\u19e0-\u19ff]",
    "my": "[\u1000-\u103f\u1050-\u108f\u109a-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]",
    "zh": "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]",
    "ne": "[\u0900-\u0963\u0971-\u097f\ua8e0-\ua8ff]",
}
_NON_LATIN_RE = re.compile(
    "[\u0900-\u097f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3400-\u9fff"
    "\uf900-\ufaff\ua8e0-\ua8ff\ua9e0-\ua9ff\uaa60-\uaa7f\U00020000-\U0003134f]"
)
# Latin letters including Vietnamese and other diacritics.
_LATIN_WORD_RE = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]+(?:'[a-z]+)?")
_ANY_LETTER_RE = re.compile(r"[^\W\d_]")

#: Letters written only in Vietnamese among our Latin languages (hooks, horns, dots below, đ).
_VI_LETTER_RE = re.compile("[ăâđêôơư\u1ea0-\u1ef9]")

# Text longer than this is cut before detection: the start of a message is enough evidence.
_MAX_CHARS = 2000
# langdetect's cost grows with the text; a few hundred characters are plenty for it.
_LANGDETECT_CHARS = 400


@lru_cache(maxsize=1)
def _script_res() -> dict[str, re.Pattern[str]]:
    return {code: re.compile(p) for code, p in _SCRIPT_PATTERNS.items()}


def _script_counts(text: str) -> dict[str, int]:
    """Count letters of each non-Latin script we serve."""
    if not _NON_LATIN_RE.search(text):
        return {}
    counts = {}
    for code, rx in _script_res().items():
        n = len(rx.findall(text))
        if n:
            counts[code] = n
    return counts


# --- Latin cues ------------------------------------------------------------------------------

# Frequent, distinctive words per Latin-script language (after ``normalize``, so lower case).
# Words shared by two of our languages (e.g. "ko", "kami", "di") are left out or weighted low.
# Vietnamese words are listed without diacritics: people often type without them.
_CUE_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
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
    "id": (
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
    "tl": (
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
    "vi": (
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
    # Nepali typed in Latin letters (common on phones without a Devanagari keyboard): only
    # words that do not exist in the other languages.
    "ne": (
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
}
# Words that are frequent in two or more of our Latin languages: weak evidence for each.
_AMBIGUOUS = frozenset(
    "a an i ko k o di la the can ban sana na da ma bang dan cho da ba lo ya bi ai "
    "an so on to hai em anh chi me con may do it dong tau ga nang chu cha".split()
)
# Two-word expressions that are unmistakable although each word alone is ambiguous.
_CUE_PHRASES: dict[str, str] = {
    "cam on": "vi",
    "xin chao": "vi",
    "xin loi": "vi",
    "o dau": "vi",
    "lam sao": "vi",
    "the nao": "vi",
    "bao nhieu": "vi",
    "di lam": "vi",
    "terima kasih": "id",
    "di mana": "id",
    "ke mana": "id",
    "di sini": "id",
    "di sana": "id",
    "ko alam": "tl",
    "di ko": "tl",
    "ko po": "tl",
}

#: Weight of a cue word. English words are frequent inside messages in the other languages
#: (job, visa, salary...), so a non-English function word counts for more than an English one.
_LANG_WEIGHT = {"en": 0.7, "id": 1.0, "tl": 1.0, "vi": 1.0, "ne": 1.0}

#: Messages made only of these carry no language evidence (greetings, acknowledgements, SOS).
_CONTENT_FREE = frozenset(
    "hi hii hiii hey heyy hello helo hallo halo hai ok okay oke okey okie k kk ok ok yes no "
    "yeah yep nope sos help lol haha hahaha hehe hmm hm test thanks thx ty bye good nice "
    "wow oh ah uh sorry pls plz please admin bro sis good morning afternoon evening night "
    "gm gn".split()
)


@lru_cache(maxsize=1)
def _cue_index() -> dict[str, dict[str, float]]:
    """word -> {lang: weight}, built once."""
    index: dict[str, dict[str, float]] = {}
    for lang, words in _CUE_WORDS.items():
        for word in words:
            weight = _LANG_WEIGHT[lang] * (0.3 if word in _AMBIGUOUS else 1.0)
            index.setdefault(word, {})[lang] = weight
    return index


# Vietnamese without diacritics still has tell-tale spellings: syllables ending in "ng"/"nh"
# preceded by typical vowels, initials "ngh", "nh", "kh", "tr", "ph", "qu" + "uo"/"ie" nuclei.
_VI_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|kh|tr|ph|th|ch|gi|qu|[bcdghklmnprstvx])?"
    r"(?:uye|uoi|uon|uong|ieu|uoc|uot|iec|iet|ien|ieng|yeu|uyen|oai|oay|uay|uou|ay|ao|au|"
    r"oi|ui|ua|uo|ie|ia|oa|oe|uy|ai|eo|ue|[aeiouy])(?:ng|nh|ch|[cmnpt])?$"
)


# Indonesian/Malay affixes: -nya, -kan, -lah, -kah; me(N)-/ber-/ter-/per- ... -kan/-i.
_ID_AFFIX_RE = re.compile(
    r"^(?:[a-z]{3,}(?:nya|kan|lah|kah)|(?:meng|meny|mem|men|ber|ter|per|di)[a-z]{3,}(?:kan|i))$"
)
# Tagalog verb prefixes (nag-, mag-, naka-, maka-, pinag-, ipa-...) followed by a stem.
_TL_AFFIX_RE = re.compile(r"^(?:nag|mag|pag|nakaka|naka|maka|pinag|pina|ipag|ipa|ika)[a-z]{4,}$")


def _strip_marks(word: str) -> str:
    """Remove diacritics ("chào" -> "chao", "đi" -> "di") so cue lists work for both spellings."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin_cues(words: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Score Latin-script languages from the words of a normalised message.

    Returns (scores, hits): weighted evidence per language, and how many words backed it
    (an ambiguous word counts half), used to judge reliability.
    """
    index = _cue_index()
    scores = dict.fromkeys(_LANG_WEIGHT, 0.0)
    hits = dict.fromkeys(_LANG_WEIGHT, 0.0)
    vi_like = 0
    for word in words:
        bare = _strip_marks(word)
        for lang, weight in index.get(bare, {}).items():
            scores[lang] += weight
            hits[lang] += 0.5 if bare in _AMBIGUOUS else 1.0
        if _ID_AFFIX_RE.match(bare):
            scores["id"] += 0.5
            hits["id"] += 0.5
        elif _TL_AFFIX_RE.match(bare):
            scores["tl"] += 0.5
            hits["tl"] += 0.5
        if _VI_SYLLABLE_RE.match(bare):
            vi_like += 1
    bare_words = [_strip_marks(w) for w in words]
    for first, second in zip(bare_words, bare_words[1:], strict=False):
        lang = _CUE_PHRASES.get(f"{first} {second}")
        if lang:
            scores[lang] += 1.0
            hits[lang] += 1.0
    # Vietnamese typed without diacritics: nearly every word is one well-formed syllable.
    if len(words) >= 3 and vi_like >= 0.9 * len(words):
        scores["vi"] += 1.5
        hits["vi"] += 1.0
    return scores, hits


# --- langdetect, restricted to our Latin languages ---------------------------------------------

_factory: Any = None
_factory_failed = False


def _langdetect_factory() -> Any:
    """A langdetect factory holding only the en/vi/id/tl profiles (deterministic, seed 0)."""
    global _factory, _factory_failed
    if _factory is not None or _factory_failed:
        return _factory
    try:
        import json
        import os

        import langdetect
        from langdetect.detector_factory import DetectorFactory
        from langdetect.utils.lang_profile import LangProfile

        DetectorFactory.seed = 0
        factory = DetectorFactory()
        factory.seed = 0
        profiles = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
        langs = ("en", "vi", "id", "tl")
        for index, lang in enumerate(langs):
            with open(os.path.join(profiles, lang), encoding="utf-8") as fh:
                factory.add_profile(LangProfile(**json.load(fh)), index, len(langs))
        _factory = factory
    except Exception:  # pragma: no cover - depends on the environment
        log.warning("langdetect unavailable; Latin languages decided by cues only")
        _factory_failed = True
    return _factory


def _langdetect_probs(text: str) -> dict[str, float]:
    """Probabilities of en/vi/id/tl for ``text`` according to langdetect ({} on failure)."""
    factory = _langdetect_factory()
    if factory is None:
        return {}
    try:
        detector = factory.create()
        detector.append(text)
        return {p.lang: p.prob for p in detector.get_probabilities()}
    except Exception:
        return {}


# --- public API ------------------------------------------------------------------------------


def _fallback(hint: str | None) -> LanguageGuess:
    code = normalize_language_code(hint)
    return LanguageGuess(code or DEFAULT_LANGUAGE, False)


def detect_language(text: str, hint: str | None = None) -> LanguageGuess:
    """Guess the language of a user message; ``hint`` is the client's language code, if any."""
    try:
        return _detect(text, hint)
    except Exception:  # pragma: no cover - defensive: never raise on user input
        log.debug("language detection failed", exc_info=True)
        return _fallback(hint)


def _detect(text: str, hint: str | None) -> LanguageGuess:
    if not isinstance(text, str) or not text:
        return _fallback(hint)
    norm = normalize(text[: _MAX_CHARS * 2])[:_MAX_CHARS]

    # 1. Script: any letters of a non-Latin script we serve decide the language.
    counts = _script_counts(norm)
    if counts:
        code = max(counts, key=lambda c: counts[c])
        return LanguageGuess(code, counts[code] >= 2)

    # 2. Latin script.
    words = _LATIN_WORD_RE.findall(norm)
    if not words:
        return _fallback(hint)
    if all(w in _CONTENT_FREE for w in words):
        return _fallback(hint)

    vi_letters = len(_VI_LETTER_RE.findall(norm))
    if vi_letters >= 2 or (vi_letters == 1 and len(words) <= 2):
        return LanguageGuess("vi", True)

    return _detect_latin(norm, words, hint)


def _detect_latin(norm: str, words: list[str], hint: str | None) -> LanguageGuess:
    """Decide between en, vi, id, tl (and romanised Nepali) for a Latin-script message."""
    cues, hits = _latin_cues(words)
    letters = sum(len(w) for w in words)
    probs = _langdetect_probs(norm[:_LANGDETECT_CHARS]) if letters >= 6 else {}
    # Mixed messages: English words (job, visa, salary...) are common inside messages written
    # in the other languages, while two function words of another language seldom appear in an
    # English message; then langdetect's vote for English (driven by those words) is dropped.
    other = max(("id", "tl", "vi", "ne"), key=lambda c: cues[c])
    # Likewise when no English function word is present at all but another language's is.
    if (hits[other] >= 2.0 and cues[other] >= 2 * cues["en"]) or (
        hits[other] >= 1.0 and hits["en"] == 0
    ):
        probs.pop("en", None)
    # Conversely, a sentence with three or more English function words and at most one word of
    # another language is English with a name or loanword in it ("the agency Tulong Kabayan").
    elif hits["en"] >= 3.0 and hits[other] <= 1.0:
        probs = {"en": probs.get("en", 0.0)}
    # langdetect is trustworthy on longer texts; cues dominate short ones.
    ld_weight = min(2.5, letters / 15.0)
    scores = {lang: cues[lang] + ld_weight * probs.get(lang, 0.0) for lang in cues}
    ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] <= 0.0:
        return _fallback(hint)
    margin = scores[best] - scores[second]
    prob = probs.get(best, 0.0)
    distinct = len(set(words))
    reliable = margin >= 0.4 and (
        hits[best] >= 2.0  # two function words of the language
        or (hits[best] >= 1.0 and (distinct == 1 or prob >= 0.8))  # one, confirmed
        or (hits[best] >= 1.0 and all(hits[o] == 0 for o in hits if o != best))  # unopposed
        or (distinct >= 3 and letters >= 15 and prob >= 0.9)  # a real sentence, langdetect
    )
    if not reliable:
        preferred = normalize_language_code(hint)
        if preferred in scores and scores[preferred] >= scores[best] - 0.5:
            return LanguageGuess(preferred, False)
    return LanguageGuess(best, reliable)
