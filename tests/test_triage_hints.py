"""Cries that fired no signal before session 10: self-harm hints without the usual words, overwork
with no way to refuse, fines for a missed target, and a stretched "help". Wordings are our own
(not the labelled rows); each close call beside them uses the same words in a free life."""

from __future__ import annotations

import pytest

from bot.engines.text import squeeze_repeats
from bot.engines.triage import match_signals, triage
from tests.helpers import signal_severity

#: Self-harm hints: emergencies whatever the models say (SUICIDAL keeps from every veto).
HINTS = [
    "honestly i just want to sleep and never wake up",
    "i hope i dont wake up tomorrow, nobody is coming for us",
    "please tell my mum im sorry and take care of her for me",
    "if i dont reply after tonight tell my dad i love him",
    "ive been stashing the sleeping pills they give us, almost enough now",
    "gave away all my clothes to the new girls, wont be needing them",
    "dont worry, i wont be a burden to anyone much longer",
    "เหนื่อยเหลือเกิน อยากนอนหลับไปเลยไม่ต้องตื่นอีก",
    "ฝากบอกแม่ด้วยว่าขอโทษนะ นี่คงเป็นข้อความสุดท้าย",
    "ເມື່ອຍຫຼາຍ ຢາກນອນຫຼັບໄປເລີຍ ບໍ່ຕ້ອງຕື່ນອີກ",
    "ខ្ញុំចង់ដេកហើយមិនភ្ញាក់ទៀតទេ",
    "ပြန်မနိုးတော့ရင် ကောင်းမယ်",
    "chi muon ngu mot giac khong bao gio tinh lai",
    "capek, pengen tidur aja terus gak usah bangun lagi",
    "gusto ko na lang matulog at di na magising",
    "真的好想一睡不醒",
    "我偷偷攒了一些安眠药",
    "अब ब्युँझिनै नपरोस् जस्तो लाग्छ",
    "yak non lap bo tong tuen ik laew",
    "wo zhen xiang shui le bu xing",
]

#: Overwork with a sign of not being free, and fines for a missed target: urgent signals.
URGENT = [
    ("we work 17 hours every day and cant say no", {"OVERWORK", "NOT_FREE"}),
    ("ทำงานวันละ 16 ชั่วโมง หัวหน้าไม่ให้พัก", {"OVERWORK", "NOT_FREE"}),
    ("ធ្វើការ ១៧ម៉ោង មិនឲ្យសម្រាក", {"OVERWORK", "NOT_FREE"}),
    ("lam 17 tieng moi ngay, bao ve canh suot", {"OVERWORK", "NOT_FREE"}),
    ("kerja 18 jam, ga ada libur, ga boleh istirahat", {"OVERWORK", "NOT_FREE"}),
    ("walang day off, bawal magpahinga sabi ng amo", {"OVERWORK", "NOT_FREE"}),
    ("一天干十六个小时 不让休息", {"OVERWORK", "NOT_FREE"}),
    ("दिनको १७ घण्टा काम, आराम गर्न दिँदैनन्", {"OVERWORK", "NOT_FREE"}),
    ("they deducted my salary again because we didnt reach the quota", {"DEBT_BONDAGE"}),
    ("got fined 300 for not enough chats this week", {"DEBT_BONDAGE"}),
    ("ยอดไม่ถึง โดนหักเงินเดือนอีกแล้ว", {"DEBT_BONDAGE"}),
    ("bi tru luong vi khong dat chi tieu", {"DEBT_BONDAGE"}),
    ("gaji dipotong lagi gara-gara target", {"DEBT_BONDAGE"}),
    ("业绩没完成 又被罚款了", {"DEBT_BONDAGE"}),
]

#: Close calls: the same words in a free life. No emergency, no active overwork.
QUIET = [
    "no day off this week ugh",
    "got fined for being late lol",
    "want to sleep for a year after this project",
    "i could sleep all weekend and not wake up till monday",
    "boss will kill me if I miss the deadline",
    "my manager will kill me if im late again",
    "exams next week, so stressed i just want to sleep for a month",
    "tell mum im sorry i missed her call, will ring tonight",
    "gave my old phone to my brother, got a new one so wont be needing it",
    "working 16 hours today at the restaurant, so tired",
    "อยากนอนยาวๆ ไม่ต้องตื่นไปทำงาน",
    "考研考得好累，真想睡一觉不醒，考完再说",
    "ได้งานแล้ว จะไม่เป็นภาระพ่อแม่อีกแล้ว",
    "overstayed my visa, will they fine me 500 baht a day?",
    "asrama diawasi 24 jam, aman kok",
    # a worker abroad who will miss a holiday at home: a word for the family, no final one
    "ฝากบอกแม่ว่าขอโทษนะที่ไม่ได้โทรไป ไม่ต้องรอกินข้าว",
    "nói với mẹ là con xin lỗi, tết này con không về được nữa",
    "bilang ke ibu aku minta maaf ya, lebaran ini gak bisa pulang lagi",
    "pakisabi kay mama sorry, di na ako makakauwi ngayong pasko",
    "告诉我妈说声对不起，今年过年不用等我了",
    "ບອກແມ່ວ່າຂໍໂທດ ບໍ່ໄດ້ກັບບ້ານບຸນປີໃໝ່",
    "ប្រាប់ម៉ាក់ថាកូនស្រលាញ់គាត់ កូនមិនបានត្រឡប់ទៅវិញឆ្នាំនេះទេ",
    "ទុកថ្នាំងងុយដេកក្នុងទូ",
    "gave all my old clothes to charity, wont need them in the tropics",
    "i wont be a problem for long, just staying two nights at your place",
    "no days off for 2 weeks, boss wont let me take leave during peak season",
]


# The session-10 review (a read-only helper's own inventions, ~130 texts): everyday texts the
# first hints made emergencies (a goodbye before a flight, pills for a trip, a Monday lie-in,
# giving things away before a move, romanised Vietnamese read as Lao), and cries they missed.
#: Ordinary office fines and a long day at a screen: no quota-fine or not-free signal.
REVIEW_OFFICE = [
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
REVIEW_FREE_LIFE = [
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
REVIEW_CRIES = [
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


@pytest.mark.parametrize("text", HINTS + REVIEW_CRIES)
def test_a_self_harm_hint_is_an_emergency(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    result = triage(text)
    assert result.distress and result.severity == "emergency"


@pytest.mark.parametrize(("text", "signals"), URGENT)
def test_overwork_without_freedom_and_quota_fines_have_their_signals(
        text: str, signals: set[str]) -> None:
    assert signals <= set(match_signals(text))


@pytest.mark.parametrize("text", QUIET + REVIEW_FREE_LIFE)
def test_a_free_worker_or_a_tired_student_is_no_emergency(text: str) -> None:
    found = set(match_signals(text))
    assert "SUICIDAL" not in found
    assert not {"OVERWORK", "NOT_FREE"} <= found
    assert signal_severity(text) != "emergency"


def test_a_stretched_word_is_squeezed_for_the_patterns_only_when_tripled() -> None:
    assert squeeze_repeats("helppp meee") == "help me"
    assert squeeze_repeats("ช่วยด้วยยย") == "ช่วยด้วย"
    assert squeeze_repeats("good ธรรม") == "good ธรรม"  # a real double stays
    assert squeeze_repeats("哈哈哈 555") == "哈哈哈 555"  # laughter and digits stay
    assert squeeze_repeats("") == ""
    # vowel signs and tone marks (Unicode M*) are squeezed too (session 10 review)
    assert squeeze_repeats("ကယ်ပါဦးးးး") == "ကယ်ပါဦး"
    assert squeeze_repeats("ជួយផងណាាា") == "ជួយផងណា"


@pytest.mark.parametrize("text", ["ช่วยยย ด้วยยย", "helppppp meeee pleaseee", "tolooong kamiii"])
def test_a_stretched_call_for_help_still_calls(text: str) -> None:
    assert "CALL_FOR_HELP" in match_signals(text)


def test_laughter_written_as_a_run_still_guards() -> None:
    # "kkk" is Vietnamese laughter: squeezing it must not undo the guard it feeds.
    assert "CONFINEMENT" not in match_signals("họp tới 9h tối ở văn phòng, sếp không cho về kkk")


@pytest.mark.parametrize("text", ["ช่วยด้วยยยย ถูกขังอยุ่", "ช่วย ด้วยยย โดนล็อกไว้อยู่"])
def test_a_stretched_misspelt_thai_cry_of_being_locked_up_is_distress(text: str) -> None:
    assert {"CALL_FOR_HELP", "FIRST_HAND"} <= set(match_signals(text))
    assert triage(text).distress


def test_thai_help_with_a_locked_up_joke_at_home_is_no_first_hand_cry() -> None:
    assert "FIRST_HAND" not in match_signals("ช่วยด้วย โดนแม่ขังอยู่บ้าน 555")


@pytest.mark.parametrize(("text", "signal"), REVIEW_OFFICE)
def test_an_office_fine_or_long_day_has_no_compound_signal(text: str, signal: str) -> None:
    assert signal not in match_signals(text)

# The second review (session 10, a read-only helper's own texts): hints written by people held in a
# compound that also name how they came (a flight, a trip, a new job), how long (months, a few
# days), a missing doctor, no day off, or ask a question: no free-life word may hide them.
REVIEW_HIDDEN_HINTS = [
    "tell my mum im sorry, i will never see you again, dont look for me",
    "tell my mum im sorry. they took my passport the day my flight landed. dont look for me",
    "tell mum i love her, they wont let me call her, this is my last message",
    "tell my daughter i love her, i will miss her birthday, dont look for me",
    "tell my wife im sorry, they beat me again this week, this is my last message",
    "tell my family im sorry, no food for a few days, if i dont reply its over",
    "mum im sorry, this is my last message, they said it was a trip to a good job",
    "tell mum im sorry, i came here on a trip they paid for, goodbye forever",
    "tell my parents sorry i tried, the travel agent sold me here, dont look for me",
    "dont look for me anymore. they said it was a holiday job. tell mum im sorry",
    "ive been saving my sleeping pills. there is no doctor here",
    "why did i come here? ive been saving up sleeping pills",
    "been hoarding my sleeping pills since the flight here, tonight is the night",
    "saved up enough pills, the boss took my passport at the airport",
    "gave away all my clothes to the girls, wont be needing them, they bought me from another"
    " company",
    "gave away all my things, wont need them, they moved us to a new compound",
    "giving away all my stuff to the others, wont be needing any of it, we moved again last night",
    "i wont be a burden much longer, they say im moving to another compound",
    "i wont be a burden for much longer, they will move me to a worse place",
    "i want to sleep and never wake up, they moved us again",
    "บอกแม่ว่าขอโทษ ไม่ต้องตามหาหนูแล้ว โดนขังมาหลายเดือน",
    "บอกแม่ว่าขอโทษนะ เขาหลอกว่าพาไปเที่ยว นี่คือข้อความสุดท้าย",
    "ฝากบอกพ่อแม่ว่ารักนะ บินมาทำงานแล้วโดนขาย ไม่ต้องตามหาแล้ว",
    "แม่ขอโทษนะ นี่ข้อความสุดท้าย เดินทางมาผิดที่",
    "จะไม่เป็นภาระใครอีกแล้ว อยู่ในหอโดนขังไว้",
    "จะไม่เป็นภาระใครอีกแล้ว เขาบอกว่าได้งานใหม่แต่หลอกมาขัง",
    "อยากหลับแล้วไม่ต้องตื่นอีก ทำงานทุกวันเสาร์อาทิตย์ไม่มีวันหยุด",
    "อยากนอนไม่ต้องตื่นอีกเลย ไม่มีวันหยุดเลย",
    "帮我跟我妈说声对不起，最后一条消息了，当初坐飞机过来就被骗了",
    "跟我妈说对不起，别找我了，他们说是来旅游的",
    "妈，对不起，这是最后一条消息了，出差被骗到这里",
    "真想一睡不醒，每天上班十六个小时",
    "好想一睡不醒，天天加班被打",
    "偷偷藏了安眠药，这里没有医生",
    "攒了很多安眠药，过期了也无所谓",
    "nói với mẹ là con xin lỗi, đừng tìm con nữa, con bị lừa lên máy bay sang đây",
    "xin lỗi mẹ, đây là tin nhắn cuối, bị nhốt mấy ngày rồi, đi du lịch mà bị bán",
    "nói với mẹ con thương mẹ, tin nhắn cuối, vài ngày nữa họ bán con",
    "chỉ muốn ngủ mãi mãi, bị ép đi làm 16 tiếng không có ngày nghỉ",
    "bilang ke ibu aku minta maaf, ini pesan terakhir, aku dipaksa pindah ke tempat lain",
    "bilang ke ibu aku sayang, jangan cari aku, dulu berangkat naik pesawat dikira kerja",
    "maafin aku bu, ini pesan terakhir, kami dibawa terbang ke sini",
    "pengen tidur gak usah bangun lagi, kerja 16 jam ga ada libur",
    "pengen tidur aja gak usah bangun, disini gak pernah libur",
    "udah kubagi semua barang ke teman, gak butuh lagi, besok kami dipindah, pesan terakhir",
    "ngumpulin obat tidur, gak ada dokter disini",
    "kenapa aku kesini? udah ngumpulin obat tidur banyak",
    "pakisabi kay mama sorry, huling message ko na, dito muna kami ikinulong",
    "pakisabi kay mama mahal ko siya, wag nyo na ako hanapin, nag biyahe ako dito akala ko trabaho",
    "mama sorry po, huling message ko na, kinuha nila passport ko sa airport",
    "ayoko na gumising, walang day off, 18 oras trabaho",
    "ayoko na gumising, bawat pasok binubugbog kami",
    "hindi na ako magiging pabigat, nakapasa daw ako sa training nila pero ikinulong kami",
    "nag-iipon ako ng pills, walang doktor dito",
    "bakit ako nandito? nag-iipon na ako ng sleeping pills",
    "भोलि नउठे पनि हुन्छ, यहाँ छुट्टी छैन",
    "नउठे पनि हुन्छ, बिदा कहिल्यै दिँदैनन्",
    "nauthe pani hunchha, yaha chhutti chaina",
    "ບໍ່ຢາກເປັນພາລະອີກແລ້ວ ພວກເຂົາຍ້າຍໄປບ່ອນອື່ນ",
]


@pytest.mark.parametrize("text", REVIEW_HIDDEN_HINTS)
def test_a_hint_beside_how_they_came_or_a_question_is_still_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
