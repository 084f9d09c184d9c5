"""Session 10 review of the self-harm hints (helper-115): everyday texts that the first hints
made emergencies (a goodbye before a flight, pills for a trip, a Monday lie-in, giving things
away before a move, romanised Vietnamese that read as Lao), and cries they missed or silenced.
Wordings are the reviewer's own inventions, not labelled rows."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

#: Ordinary office fines and a long day at a screen: no quota-fine or not-free signal.
OFFICE = [
    ("we get penalised if we dont hit the kpi numbers, corporate life sucks", "DEBT_BONDAGE"),
    ("业绩没完成被扣工资，哪家公司都这样", "DEBT_BONDAGE"),
    ("bị trừ lương vì không đạt doanh số", "DEBT_BONDAGE"),
    ("got fined 150 for using my phone while driving", "DEBT_BONDAGE"),
    ("今天加班14个小时没休息，盯着电脑眼睛都花了", "NOT_FREE"),
    ("cant stop eating chips, 16 hours of meetings today", "NOT_FREE"),
    ("gak bisa tidur, kerja 15 jam besok", "NOT_FREE"),
    ("hindi pwede bukas, 16 oras ang shift ko", "NOT_FREE"),
]

#: No SUICIDAL and no emergency (the models may still call some of them urgent).
FREE_LIFE = [
    'tell my family im sorry, if i dont reply for a few days its because im on the plane',
    'tell my wife i love her, my last message before boarding, see you in a week',
    'tell mum im sorry i forgot her birthday, after tonight ill call her',
    'tell dad sorry, take care of mum while im away on the trip',
    'บอกแม่ว่ารักนะ พรุ่งนี้บินไปเกาหลีแล้ว ไม่ได้เจอกันอีกหลายเดือน',
    'ฝากบอกแม่ด้วยว่าขอโทษที่กลับไม่ได้ ไม่ต้องเป็นห่วงแล้วนะ ได้งานใหม่แล้ว',
    'nói với mẹ là con xin lỗi, đây là tin nhắn cuối trước khi lên máy bay',
    'bilang ke ibu aku minta maaf ya, selamat tinggal Jakarta, besok berangkat ke Korea',
    'pakisabi kay mama sorry, huling message ko muna bago ako sumakay ng eroplano',
    '帮我跟我妈说声对不起，最后一条消息了，我要登机了',
    'is it safe to keep saving sleeping pills for long flights?',
    'ive been collecting sleeping pills prescriptions from my doctor, is that normal',
    'saved up enough pills for the whole trip',
    'aku mau simpan obat tidur di koper',
    'itinago ko yung gamot sa ref',
    '家里存了一点安眠药，过期了还能吃吗',
    '囤点安眠药倒时差',
    'eik say ko bel hma thein htar ya ma le',
    'i hope i dont wake up to another 50 emails tomorrow',
    'วันหยุดนี้อยากนอนทั้งวันไม่ต้องตื่นเลย 555',
    'libur panjang pengen tidur aja gak usah bangun wkwk',
    'ayoko na gumising, lunes na naman',
    '周一不想上班，真想一睡不醒',
    'ước gì được ngủ mãi mãi không phải đi làm thứ hai',
    'भोलि चाँडै नउठे पनि हुन्छ',
    'छुट्टीमा बिहान ब्युँझनु नपरे कति राम्रो',
    'bholi chadai nauthe pani hunchha',
    'i wont be a burden much longer, starting my new job next week',
    'dont worry, i wont be a problem after tonight, i found a place to stay',
    'giving away all my books, wont be needing them anymore since i got a kindle',
    'gave all my furniture to my cousin, wont need it after the move',
    'แจกเสื้อผ้าเก่าให้น้องหมดแล้ว ไม่ได้ใช้แล้ว',
    'จะไม่เป็นภาระใครอีกแล้ว ย้ายไปอยู่หอเองแล้ว',
    'udah kubagi semua barang ke adik, gak perlu lagi soalnya pindah ke luar negeri',
    'hindi na ako magiging pabigat sa inyo, nakapasa ako sa board exam',
    'ban co hai khong minh lay mot cai thoi',
    'phong hai khong mot tang ba',
    'ao khong kin mod laew',
    'no ngu ma khong bao gio tinh ngo',
    'cắt đôi thuốc ngủ có được không',
    'nên cất thuốc ngủ trong tủ lạnh không',
]

#: Self-harm hints in a compound message or said straight to a parent: SUICIDAL.
CRIES = [
    'they sold me to another company. gave away all my clothes to the girls, wont be needing them',
    'ทำงาน 16 ชม. ไม่มีวันหยุด จะไม่เป็นภาระใครอีกแล้ว',
    'pinagtatrabaho kami 18 oras, walang sahod. hindi na ako magiging pabigat',
    'แม่ขอโทษนะ นี่ข้อความสุดท้ายแล้ว',
    'xin lỗi mẹ, đây là tin nhắn cuối cùng của con',
    'maafin aku bu, ini pesan terakhirku',
    'mama sorry po, ito na ang huling message ko',
    '妈妈对不起，这是我最后一条消息了',
    'mum im sorry, this is my last message',
    'i wont be around much longer',
    'ive been saving my pills for a while now',
    'this is goodbye, thank you all for everything',
    'i want to sleep for ever and never wake up',
    'อยากหลับไม่ต้องตื่นไปเจอใครอีก',
]


@pytest.mark.parametrize("text", FREE_LIFE)
def test_a_goodbye_or_a_lie_in_in_a_free_life_is_no_emergency(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)
    assert triage(text).severity != "emergency"


@pytest.mark.parametrize("text", CRIES)
def test_a_hint_beside_forced_work_or_to_a_parent_is_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)


@pytest.mark.parametrize(("text", "signal"), OFFICE)
def test_an_office_fine_or_long_day_has_no_compound_signal(text: str, signal: str) -> None:
    assert signal not in match_signals(text)
