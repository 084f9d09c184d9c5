"""The emergency veto: the models outvote an emergency signal only in a message about a film,
a series or the news that both stages score far below their bars (README "Session 7")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.content import ContentError
from bot.engines import distress_content
from bot.engines.distress_content import load_distress
from bot.engines.triage import match_signals, triage
from tests.helpers import SureItIsNoCry, use_content

CONTENT = Path(__file__).resolve().parent.parent / "content"
#: A documentary question whose violence words survive the guards (VIOLENCE fires).
DOC_QUESTION = "ดูสารคดีเรื่องตึกแก๊งคอลเซ็นเตอร์แล้ว ตอนที่เขาช็อตไฟฟ้าคนงานนี่เรื่องจริงไหม"


@pytest.mark.parametrize("text", [
    "that netflix series about the scam compound, the episode where they electrocute the new "
    "guy, is it based on real events?",
    DOC_QUESTION,
    "មើលរឿងភាគអំពីបរិវេណបោកប្រាស់ហើយ ឈុតគេវាយកម្មករគួរឲ្យខ្លាចមែន",
    "ເບິ່ງສາລະຄະດີແກ໊ງຄໍເຊັນເຕີແລ້ວ ສາກທີ່ເຂົາຕີຄົນງານໂຫດຫຼາຍ",
    "那部纪录片里园区电击员工的镜头太吓人了，是真的吗",
])
def test_a_question_about_a_film_on_the_compounds_is_not_distress(text: str) -> None:
    assert not triage(text).distress


@pytest.mark.parametrize("text", [
    "the news said they beat people in KK Park. they beat me yesterday too, please help",
    "like in the film, they electrocute us here when we miss target. please help me",
    "เหมือนในข่าวเลย เมื่อวานเขาตีผมจนเลือดออก ช่วยด้วยครับ",
    "parang sa pelikula, binugbog ako",
    "ရုပ်ရှင်ထဲကလို ငါ့ကို ရိုက်တယ်",
    "saw the netflix doc? thats my life now. they beat me every day",
])
def test_a_cry_that_mentions_a_film_or_the_news_stays_an_emergency(text: str) -> None:
    result = triage(text)
    assert result.distress and result.severity == "emergency"


def test_only_a_film_or_the_news_opens_the_veto(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models sure it is no cry: an emergency without a film or the news stays one."""
    shipped = distress_content.content()
    assert "VIOLENCE" in match_signals(DOC_QUESTION)
    sure = replace(shipped, recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert triage("they beat me with a pipe last night").severity == "emergency"
    assert not triage(DOC_QUESTION).distress
    off = replace(sure, emergency_veto_below=0.0)
    use_content(monkeypatch, off)
    assert triage(DOC_QUESTION).severity == "emergency"


def test_a_joke_opens_the_veto_only_when_both_stages_are_near_zero(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Session 8: with no film or news, a laughter marker or an exam/traffic idiom lets both
    stages near zero outvote an emergency signal; violence without one, or self-harm, never."""
    joke = "finals week, they will kill me if i fail lol"
    assert {"IMMEDIATE_DANGER", "JOKE"} <= set(match_signals(joke))
    sure = replace(distress_content.content(), recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert not triage(joke).distress
    assert triage("they beat me with a pipe last night").severity == "emergency"
    assert triage("they beat me with a pipe last night 😭").severity == "emergency"
    assert triage("ugh i want to die lol").check_in  # SUICIDAL is never vetoed: a check-in
    off = replace(sure, emergency_joke_veto_below=0.0)
    use_content(monkeypatch, off)
    assert triage(joke).severity == "emergency"


@pytest.mark.parametrize("text", [
    "like the chinese film i watched on netflix, they beat me and locked me in a dark room. "
    "im not joking",
    "เหมือนหนังที่เคยดูในเน็ตฟลิกซ์ โดนตีโดนขังห้องมืด หนูไม่ได้ล้อเล่นนะคะ",
    "就跟电影里演的一样，用电棍电人，这不是开玩笑",
])
def test_a_first_hand_cue_keeps_a_film_cry_from_every_veto(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Models sure it is no cry: "I am not joking" keeps the emergency (a cry lost costs a life)."""
    assert "FIRST_HAND" in match_signals(text)
    sure = replace(distress_content.content(), recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert triage(text).severity == "emergency"
    no_keep = replace(sure, emergency_keep_signals=frozenset(), first_hand_signals=frozenset())
    use_content(monkeypatch, no_keep)
    assert not triage(text).distress  # the cue, not the models, kept it


@pytest.mark.parametrize(("old", "new", "field"), [
    ("  emergency_veto_below: 0.3\n", "  emergency_veto_below: 0.9\n", "emergency_veto_below"),
    ("  emergency_joke_veto_below: 0.05\n", "  emergency_joke_veto_below: 0.3\n",
     "emergency_joke_veto_below"),
    ("  emergency_joke_signals: [JOKE]\n", "  emergency_joke_signals: [NOPE]\n",
     "emergency_joke_signals"),
    ("  emergency_keep_signals: [FIRST_HAND, SUICIDAL]\n", "  emergency_keep_signals: [NOPE]\n",
     "emergency_keep_signals"),
    ("  emergency_veto_first_below: 0.3\n", "  emergency_veto_first_below: 0.6\n",
     "emergency_veto_first_below"),
    ("  emergency_veto_signals: [MEDIA, SAFE_NOW]\n", "  emergency_veto_signals: [NOPE]\n",
     "emergency_veto_signals"),
    ("  first_hand_signals: [FIRST_HAND]\n", "  first_hand_signals: [NOPE]\n",
     "first_hand_signals"),
    ("  first_hand_unless_signals: [SAFE_NOW]\n", "  first_hand_unless_signals: [NOPE]\n",
     "first_hand_unless_signals"),
])
def test_emergency_veto_settings_are_checked(tmp_path: Path, old: str, new: str,
                                             field: str) -> None:
    text = (CONTENT / "distress.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "distress.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_distress(tmp_path)
    assert (err.value.entry, err.value.field) == ("recogniser", field)


@pytest.mark.parametrize(("text", "emergency"), [
    ("htwet pyay yin that mal lo pyaw tal, kyout tal", True),  # "they say they will kill me"
    ("boss ka nga ko thet mel tae", True),
    ("sar may pwal kya yin a may ka nga ko that lain mal lol", False),  # exam hyperbole
    ("did you see that mall near the station", False),
    ("I think that Mal is a name", False),
])
def test_romanised_burmese_kill_threats(text: str, emergency: bool) -> None:
    """"(They) will kill (me)" typed in Latin letters is an emergency like သတ်မယ်; English
    "that mall" and the exam idiom are not (session 8: a held-out romanised threat was lost)."""
    assert (triage(text).severity == "emergency") is emergency


@pytest.mark.parametrize("text", [
    "like that netflix movie, they beat us with electric batons, it is really happening to me",
    "เหมือนสารคดีที่เคยดูเลย โดนซ้อมโดนช็อตไฟฟ้า ตอนนี้มันเกิดกับผมแล้ว ผมจะหนีออกไปยังไง",
    "ဇာတ်ကားထဲကလို ဓာတ်တုတ်နဲ့ရိုက်တယ်၊ ကျွန်တော်ကိုယ်တိုင် ကြုံနေရတယ်",
    "giống phim đó, tụi nó đánh bằng dùi cui điện, giờ đang xảy ra với em, làm sao em thoát",
    "kayak di film itu, dipukul pakai setrum, sekarang terjadi sama aku, gimana aku keluar",
    "就像那部电影一样用电棍打人，现在正在发生在我身上，我怎么才能出去",
])
def test_a_film_cry_told_as_happening_now_is_kept(text: str) -> None:
    """A cry that compares itself to a film and says it is happening to the writer now, or asks
    how to get out, is kept from the film veto whatever the models say (session 8)."""
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", [
    "เคยเกิดกับผมเมื่อสองปีก่อน ตอนนี้ปลอดภัยแล้ว อยากช่วยคนอื่น ดูหนังเรื่องนี้แล้วนึกถึงตอนโดนตี",
    "我以前经历过电棍，看那部电影想起来了，现在在家很好，想当志愿者",
])
def test_a_survivor_telling_the_past_is_not_first_hand(text: str) -> None:
    """"It happened to me" in the past (เคย, 以前) does not count as happening now."""
    assert "FIRST_HAND" not in match_signals(text)


@pytest.mark.parametrize("text", [
    "they sold 8 of us to a new boss, we are in a van now going somewhere",
    "manager told us we were bought and now we belong to the new company",
    "ពួកវាលក់យើង ៥ នាក់ទៅក្រុមហ៊ុនថ្មី ឥឡូវកំពុងនៅលើឡាន",
    "เขาขายพวกเรา 6 คนให้บริษัทใหม่ ตอนนี้อยู่บนรถ",
    "kami udah dijual ke perusahaan lain, sekarang di mobil",
    "binenta na kami sa ibang kumpanya, nasa van kami ngayon",
    "我们已经被卖了，现在在面包车上",
])
def test_a_sale_done_or_a_transfer_under_way_is_an_emergency(text: str) -> None:
    """Session 9: a sale that has happened or a move going on (SOLD, beside THREAT_OF_SALE) is
    an emergency whatever the models say; a threat of sale alone stays urgent."""
    assert {"THREAT_OF_SALE", "SOLD"} <= set(match_signals(text))
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", [
    "my teammate sold me in ranked lol",
    "ໝູ່ໃນທີມຂາຍຂ້ອຍໃນເກມ ແມ່ຂັງໄວ້ໃນເຮືອນ",
    "双十一把灵魂卖了，钱包在哭",
])
def test_a_sale_in_a_game_or_a_joke_is_not_a_sale_done(text: str) -> None:
    assert "SOLD" not in match_signals(text) or "THREAT_OF_SALE" not in match_signals(text)


@pytest.mark.parametrize("text", [
    "can you summarise the BBC article about workers beaten and held for ransom in Myawaddy",
    "tolong rangkum berita detik soal WNI yang disetrum dan dijual di Kamboja",
    "giúp em tóm tắt bản tin VTV về người Việt bị đánh và bị bán sang Campuchia",
    "帮我总结一下新闻里说的园区打人、卖人、要赎金的事",
    "ช่วยสรุปข่าวช่อง 3 เรื่องคนไทยโดนซ้อมแล้วโดนเรียกค่าไถ่ที่เมียวดีหน่อย",
    "paki buod naman yung balita sa GMA tungkol sa mga Pinoy na binugbog sa Myawaddy",
])
def test_a_request_to_summarise_the_news_fires_no_emergency(text: str) -> None:
    """Session 9: "summarise / explain the news (documentary, game) about beatings and ransom"
    is a close call: the guard takes that clause away, so no violence word counts."""
    assert not {"VIOLENCE", "SOLD", "DEBT_BONDAGE"} & set(match_signals(text))


@pytest.mark.parametrize("text", [
    "summarise the news about KK Park. they beat me there yesterday, please help",
    "tolong rangkum berita itu. aku juga dipukuli di sini sekarang, tolong aku",
])
def test_a_cry_after_a_summary_request_keeps_its_signals(text: str) -> None:
    assert "VIOLENCE" in match_signals(text) and triage(text).distress


@pytest.mark.parametrize(("text", "hyperbole"), [
    ("sếp hành em muốn chết luôn, KPI tháng này cao quá 😩", True),
    ("老板天天让加班，累死了", True),
    ("sếp đánh em vì không đủ KPI, em muốn chết", False),
    ("bos mukulin aku tiap hari gara gara target, pengen mati aja", False),
])
def test_work_hyperbole_is_not_a_wish_to_die(text: str, hyperbole: bool) -> None:
    """Session 9: "my boss works me to death" with a workload word is no SUICIDAL signal (it
    kept the joke from every veto); with a violence word it stays one."""
    assert ("SUICIDAL" not in match_signals(text)) is hyperbole


def test_a_wish_to_die_in_jest_at_work_gets_a_check_in() -> None:
    """Session 16: "I just want to die" beside laughter at work keeps SUICIDAL (session 9 let the
    laughter guard take it): both stages read it as hyperbole, so a check-in, not silence."""
    result = triage("bos gue lembur terus, rasanya pengen mati aja deadline numpuk 😂")
    assert "SUICIDAL" in result.signals and result.check_in


@pytest.mark.parametrize(("text", "signal"), [
    ("đón em được ko? đừng gọi nha", "COVERT_CONTACT"),
    ("come pick me up near the blue building, dont call this number", "COVERT_CONTACT"),
    ("nong pai het viak yu kings romans, hai on 100000 baht bor san si bor dai hen na nong ik",
     "THREATS"),
    ("ညတိုင်း မြစ်ကို ကြည့်နေမိတယ်။ ရေထဲ ဆင်းသွားရင် အေးချမ်းသွားမလား", "SUICIDAL"),
    ("gue kena tipu lowongan, ternyata di kk park, ga boleh keluar", "JOB_DECEIVED"),
    ("guys help, they took my passport at the compound", "CALL_FOR_HELP"),
])
def test_the_lost_cries_of_batches_19_to_21_have_a_signal(text: str, signal: str) -> None:
    """Session 9: each family of a cry lost in cross-validation (batches 19-21) now has a
    signal: a discreet pickup, a romanised Lao ransom threat, the river as peace, a job that
    turned out to be in a compound, "guys help," before a pasted-looking story."""
    assert signal in match_signals(text)


@pytest.mark.parametrize(("text", "distress"), [
    ("តើមានអ្នកណាជួយខ្ញុំចេញពីទីនេះបានទេ គេដកទូរស័ព្ទ ខ្ញុំជាប់នៅទីនេះ៣ខែហើយ", True),
    ("they took our passports and we cant leave. how can i get out", True),
    ("it happened to me too, they took my passport and locked us in. home for two years now, "
     "i want to volunteer", False),
])
def test_first_hand_beside_a_signal_is_distress_whatever_the_models_say(
    monkeypatch: pytest.MonkeyPatch, text: str, distress: bool
) -> None:
    """Session 9: "how do I get out of here" / "it is happening to me" beside a signal of
    distress is distress even when both stages say no (a Khmer cry scored 0.10); a survivor
    safe now (SAFE_NOW) is not."""
    sure = replace(distress_content.content(), recogniser=SureItIsNoCry())
    use_content(monkeypatch, sure)
    assert triage(text).distress is distress


@pytest.mark.parametrize("text", [
    "boss beat me 😩",  # a weary face is no laughter marker
    "they beat me huhu",  # nor a crying sound (vi huhu, hic)
    "hic em bị đánh rồi",
    "โดนซ้อม 0855512345",  # 555 inside a phone number
    "被打了 13823312345",  # 233 inside a phone number
    "สอบสวนแล้วโดนซ้อม",  # สอบ in สอบสวน, "interrogate", is no exam
    "yar malai kutyo",  # Nepali yar, "friend"
    "kerja 18 jam, dipukuli kalau target kurang",  # Indonesian jam, "hour", is no traffic jam
    "back for 3 months in the compound, they beat me again",  # back there is not safe now
])
def test_a_sign_of_distress_is_no_joke_or_safe_now_marker(text: str) -> None:
    """Session 9 review: these matched JOKE or SAFE_NOW, so a veto could silence a short cry."""
    result = triage(text)
    assert result.distress and result.severity == "emergency"
    assert not {"JOKE", "SAFE_NOW"} & set(result.signals)


def test_the_joke_veto_has_its_own_off_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turning the film/news veto off (0) leaves the joke veto on, as each setting says."""
    text = "555 เจ้านายจะฆ่าฉันแล้ว งานเยอะมาก"  # "haha the boss will kill me, so much work"
    assert "IMMEDIATE_DANGER" in triage(text).signals and not triage(text).distress
    without_media = replace(distress_content.content(), emergency_veto_below=0.0)
    use_content(monkeypatch, without_media)
    assert not triage(text).distress


@pytest.mark.parametrize("text", [
    "sếp bắt em làm 18 tiếng, em muốn chết",
    "bos nyuruh kerja 18 jam, pengen mati aja",
    "老板逼我工作16个小时，我想死",
    "trabaho 18 oras sa compound, gusto ko na mamatay",
    "mệt muốn chết, họ nhốt em không cho về",  # the idiom is guarded, the confinement is not
    # session 10 review: the office "kill me if I'm late" guard ran on past the comma
    "my boss will kill me if i dont finish, i want to die",
    "my manager will kill me if im late again and honestly i want to die",
    "my boss will kill me if i miss the deadline, i want to die lol",
])
def test_no_work_guard_hides_a_wish_to_die(text: str) -> None:
    """A boss and long hours beside "I want to die" is a cry in a compound (session 9: the
    work-hyperbole guards first removed the wish, and SUICIDAL with it); since session 15 a
    check-in when both stages read it as hyperbole, never silence."""
    result = triage(text)
    assert "SUICIDAL" in result.signals
    assert result.severity == "emergency" or result.check_in
