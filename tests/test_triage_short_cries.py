"""Short first-person cries that name the boss (issue #14, session 9): the first-stage model
learned that "boss" means office hyperbole, so these must hold on the signal patterns. One row
per language per fixed family; the wording differs from the labelled rows (sb-*), so a pattern
that only lists a training sentence fails here."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

#: (text, signal that must fire). Violence and self-harm are emergencies whatever the models say.
EMERGENCIES = [
    # a boss between the passive marker and the verb
    ("โดนหัวหน้าตีอีกแล้ว", "VIOLENCE"),
    ("ຖືກຫົວໜ້າທຳຮ້າຍອີກ", "VIOLENCE"),
    ("lai bi quan ly danh hom qua", "VIOLENCE"),
    ("昨天又被保安打了", "VIOLENCE"),
    ("bei baoan da le hen teng", "VIOLENCE"),
    # romanised beatings
    ("dohn hua na som tuk wan", "VIOLENCE"),
    ("thao kae ti khoy tuk mue", "VIOLENCE"),
    ("manager ka yite tal", "VIOLENCE"),
    ("thaokae vay knhom mdong teat", "VIOLENCE"),
    ("supervisor le current diyo", "VIOLENCE"),
    ("zhuguan tiantian da wo", "VIOLENCE"),
    # romanised self-harm
    ("wo bu xiang huo le", "SUICIDAL"),
    ("ton ni yak tai laew", "SUICIDAL"),
    ("knhom chong slab", "SUICIDAL"),
    ("nay ma kaung buu thay chin tal", "SUICIDAL"),
    # a threat with a condition of escape is not work hyperbole
    ("主管说逃跑的话就弄死我", "IMMEDIATE_DANGER"),
    # food withheld (romanised Khmer)
    ("thaokae ot oy yerng nham", "VIOLENCE"),
]

URGENT = [
    ("hua na bang khap hai lok khon", "FORCED_SCAMMING"),
    ("zhuguan bi women zuo zhapian", "FORCED_SCAMMING"),
    ("manager ka lu lein khine tal", "FORCED_SCAMMING"),
    ("mei bong khom yerng tver scam", "FORCED_SCAMMING"),
    ("malik le scam garna badhya garchha", "FORCED_SCAMMING"),
    ("a khan htae mhar pate htar tal", "CONFINEMENT"),
    ("mandor gak ngebolehin kami keluar", "CONFINEMENT"),
    ("hindi kami makalabas dito", "CONFINEMENT"),
    ("kerja 16 jam gak dikasih istirahat", "FORCED_LABOUR"),
    ("bat lam 18 tieng ko duoc nghi", "FORCED_LABOUR"),
    ("din ko 16 ghanta kaam garaunchha", "FORCED_LABOUR"),
    ("ເຮັດວຽກ 18 ຊົ່ວໂມງ ບໍ່ໄດ້ພັກ", "FORCED_LABOUR"),
    ("ทำงาน 16 ชั่วโมงไม่ได้พัก", "FORCED_LABOUR"),
    ("passport bei gongsi kou le", "DOCUMENTS_TAKEN"),
    ("老板收了我们的护照", "DOCUMENTS_TAKEN"),
    ("team leader phone thein tal", "DOCUMENTS_TAKEN"),
    ("the manager fined us again", "DEBT_BONDAGE"),
    ("โดนบอสหักเงินอีก", "DEBT_BONDAGE"),
    ("ໂດນນາຍປັບເງິນອີກແລ້ວ", "DEBT_BONDAGE"),
    ("bi to truong tru luong vi thieu don", "DEBT_BONDAGE"),
    ("kena denda terus sama leader", "DEBT_BONDAGE"),
    ("kinaltasan ulit kami ng amo", "DEBT_BONDAGE"),
    ("这个月又被组长罚款了", "DEBT_BONDAGE"),
    ("មេពិន័យយើងទៀតហើយ", "DEBT_BONDAGE"),
    ("ဒဏ်ငွေ ထပ်ဆောင်ခိုင်းတယ်", "DEBT_BONDAGE"),
]

#: Must stay quiet: the same words in ordinary traffic.
QUIET = [
    "被老板打电话叫去开会",
    "我被他打败了，这局游戏太难",
    "被交警罚款了两百块",
    "boss called me about the meeting",
    "ขับรถเร็วโดนตำรวจปรับ 500",
]


@pytest.mark.parametrize(("text", "signal"), EMERGENCIES)
def test_a_short_emergency_naming_the_boss_is_an_emergency(text: str, signal: str) -> None:
    assert signal in match_signals(text)
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize(("text", "signal"), URGENT)
def test_a_short_cry_naming_the_boss_has_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)


@pytest.mark.parametrize("text", QUIET)
def test_the_same_words_in_ordinary_traffic_fire_no_new_signal(text: str) -> None:
    assert not {"VIOLENCE", "DEBT_BONDAGE"} & set(match_signals(text))
