"""Session 11: self-harm hints that stay quiet on everyday goodbyes, and cries that fired no
signal. Wordings are our own. A SUICIDAL match is an emergency no model can take back, so each
hint needs what a free person's sentence lacks (a wish, "better", an amount, no trip or move);
tests/test_triage_hints.py keeps the hints written from a compound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engines.triage import match_signals, triage
from tests.helpers import signal_severity

#: A move, a new job, a graduation, a pet or a grandparent put to sleep, pills for a flight, a
#: last message before an exam: no SUICIDAL, no emergency (ten languages, romanised too).
EVERYDAY = [
    # en
    'i wont be around much longer, moving to canada next month',
    'this is goodbye guys, graduating tomorrow',
    'my cat sleeps forever now, miss her',
    "we had to put our dog to sleep, he won't wake up again",
    "giving away my old clothes, won't need them after the move",
    "last day at this job, goodbye everyone, I won't be a burden to the team anymore",
    'bought sleeping pills for the long flight to sydney, saved a few for the trip back',
    'the vet put our old cat to sleep today, she will never wake up again, so sad',
    'i wont be here much longer, my contract ends friday and i fly home',
    'gave away all my furniture, wont need any of it in the new flat',
    'been saving my sleeping pills for the overnight bus',
    'tell mum im sorry, this is my last message before the exam, phone off till friday',
    'grandpa went to sleep and never woke up, peaceful at 94',
    'dont worry i wont be a burden anymore, i got the job in dubai',
    'i wont be a burden much longer, moving out next month',
    'saved up 20 sleeping pills for the flight to peru and back',
    'giving away all my things, i wont need them when i move to japan',
    'i want to sleep forever this weekend lol',
    # th
    'แมวที่บ้านหลับไปตลอดกาลแล้ว คิดถึงมาก',
    'หมอฉีดยาให้หมาหลับ มันไม่ตื่นอีกแล้ว',
    'ซื้อยานอนหลับไว้กินบนเครื่องบิน บินไปยุโรปสิบสองชั่วโมง',
    'เก็บยานอนหลับไว้สองแผงสำหรับทริปยุโรป',
    'แจกเสื้อผ้าให้น้องหมดแล้ว ไม่ต้องใช้แล้ว ย้ายไปญี่ปุ่นเดือนหน้า',
    'วันสุดท้ายที่ทำงานแล้ว ลาก่อนทุกคน จะไม่เป็นภาระทีมอีกแล้ว',
    'เรียนจบพรุ่งนี้ ลาก่อนนะทุกคน',
    'อีกไม่นานจะไม่อยู่แล้ว ย้ายไปแคนาดาเดือนหน้า',
    'คุณยายหลับไปแล้วไม่ตื่นอีกเลย จากไปอย่างสงบ อายุ 95',
    'ฝากบอกแม่ว่าขอโทษนะ ข้อความสุดท้ายก่อนสอบ ปิดเครื่องถึงศุกร์',
    'mai pen pha ra krai eek laew, dai ngan mai laew',
    'yak non mai tong tuen pai tam ngan',
    # my
    'ခရီးရှည်သွားဖို့ အိပ်ဆေး စုထားတယ်',
    'လေယာဉ်ပေါ်မှာ သောက်ဖို့ အိပ်ဆေး ဝယ်ထားတယ်',
    'ကြောင်လေး ထာဝရ အိပ်သွားပြီ လွမ်းတယ်',
    'ခွေးလေးကို ဆရာဝန်က ဆေးထိုးပြီး အိပ်စေလိုက်တယ် ပြန်မနိုးတော့ဘူး',
    'eik say su htar tal, lay yin pyan mhar thout ya mal',
    'အမေ့ကို တောင်းပန်တယ်လို့ ပြောပေး နောက်ဆုံးစာပါ လေယာဉ်ပေါ်တက်တော့မယ်',
    'a may ko sorry lo pyaw pay, naut sone message, lay yin tet taw mal',
    'kyaung lay pyan ma noe tot bu, lwan tal',
    # km
    'សន្សំថ្នាំងងុយដេកសម្រាប់ជិះយន្តហោះទៅបារាំង',
    'sansam thnam ngnguy sombrab chis yun hos tov barang',
    'ឆ្មារបស់ខ្ញុំដេកលែងភ្ញាក់ទៀតហើយ នឹកវាណាស់',
    'ពេទ្យសត្វចាក់ថ្នាំឲ្យឆ្កែដេក វាមិនភ្ញាក់ឡើងវិញទេ',
    'ថ្ងៃចុងក្រោយនៅកន្លែងធ្វើការ លាហើយទាំងអស់គ្នា មិនធ្វើជាបន្ទុកក្រុមទៀតទេ',
    'ប្រាប់ម៉ាក់ថាកូនសុំទោស សារចុងក្រោយមុនឡើងយន្តហោះ',
    'chkae khnhom min phnhak laeng vinh te, pet chak thnam oy deik',
    'min chong chea bantuk krom teat te, thngai chong kraoy thver kar',
    # lo
    'ແມວຂອງຂ້ອຍນອນຫຼັບບໍ່ຕື່ນອີກແລ້ວ ຄິດຮອດຫຼາຍ',
    'ຊື້ຢານອນຫຼັບໄວ້ກິນເທິງຍົນ ບິນໄປຝຣັ່ງ',
    'ສະສົມຢານອນຫຼັບໄວ້ສຳລັບເດີນທາງໄກ',
    'ແຈກເຄື່ອງໃຫ້ນ້ອງໝົດແລ້ວ ບໍ່ຕ້ອງໃຊ້ ຍ້າຍໄປຢູ່ໄທເດືອນໜ້າ',
    'ບໍ່ເປັນພາລະທີມອີກແລ້ວ ມື້ສຸດທ້າຍຢູ່ບ່ອນເຮັດວຽກ',
    'sasom ya non lap wai kin bon nyon',
    'bo pen pha ra ik laew, dai viak mai laew',
    # vi
    'con mèo nhà mình ngủ mãi mãi rồi, nhớ nó quá',
    'bác sĩ thú y cho con chó ngủ, nó không bao giờ tỉnh lại nữa',
    'để dành thuốc ngủ cho chuyến bay dài sang Mỹ',
    'giấu thuốc ngủ trong vali cho chuyến đi',
    'ngày cuối ở công ty, tạm biệt mọi người, không còn là gánh nặng cho team nữa',
    'nói với mẹ con xin lỗi, tin nhắn cuối trước khi thi, tắt máy cả tuần',
    'ông ngoại ngủ một giấc mãi mãi, ra đi thanh thản ở tuổi 90',
    'khong con la ganh nang cho ai lau nua, thang sau em di du hoc',
    # id
    'kucingku tidur selamanya, kangen banget',
    'anjing kami disuntik dokter hewan, tidak bangun lagi',
    'ngumpulin obat tidur buat penerbangan panjang ke eropa',
    'udah kubagi semua barang ke temen, gak perlu lagi, bulan depan pindah ke jepang',
    'hari terakhir kerja, pamit ya semua, gak jadi beban tim lagi',
    'nenek tidur dan tidak bangun lagi, meninggal dengan tenang',
    'bilang ke ibu aku minta maaf, pesan terakhir sebelum ujian, hp mati seminggu',
    # tl
    'pinatulog na ng vet si bantay, hindi na siya magigising',
    'natulog si lolo at hindi na nagising, payapa siyang namatay',
    'nag-iipon ako ng sleeping pills para sa mahabang flight',
    'hindi na ako magiging pabigat, may bago na akong trabaho sa dubai',
    'ipinamigay ko na lahat ng damit ko, di ko na kailangan, lilipat na kami sa canada',
    'last day ko na sa trabaho, paalam sa inyong lahat, hindi na ako magiging pabigat sa team',
    'pakisabi kay mama sorry, huling message ko muna, exam na bukas',
    # zh
    '我家的猫永远睡着了，好想她',
    '兽医让狗狗安乐死了，它睡着了再也不会醒来了',
    '攒了点安眠药，准备长途飞行用',
    '旧衣服都送人了，搬家后用不上了',
    '今天是最后一天上班，再见大家，以后不会再拖累团队了',
    '帮我跟我妈说声对不起，最后一条消息了，手机快没电了，明天见',
    '爷爷睡着了就再也没醒过来，走得很安详',
    'zan le hen duo an mian yao, zuo fei ji yong',
    # ne
    'हाम्रो कुकुरलाई डाक्टरले सुताइदियो, अब कहिल्यै ब्युँझिँदैन',
    'लामो उडानका लागि निद्राको औषधि जम्मा गरेको छु',
    'अब धेरै दिन बोझ बन्दिनँ, अर्को महिना क्यानडा जाँदैछु',
    'आमालाई माफ गर भनिदिनु, अन्तिम म्यासेज, भोलि परीक्षा छ',
    'aama lai maaf bhanidinu, antim message, bholi exam chha',
    'aba dherai din bojh bandina, canada jadai chhu',
    'बिहान नउठेको नै राम्रो, आज बिदा छ',
]

#: Cries that fired no signal: lost, writing in secret, SMS-spelt Tagalog threats, Burmese fines
#: and romance-fraud work.
CRIES = [
    ("I don't know where I am", 'TRAFFICKED'),
    ('idk where i am', 'TRAFFICKED'),
    ('ไม่รู้ว่าตอนนี้อยู่ไหน', 'TRAFFICKED'),
    ('mai roo wa yoo tee nai', 'TRAFFICKED'),
    ('ဘယ်ရောက်နေမှန်း မသိဘူး', 'TRAFFICKED'),
    ('bal yaut nay lae ma thi bu', 'TRAFFICKED'),
    ('ខ្ញុំមិនដឹងថាខ្ញុំនៅឯណាទេ', 'TRAFFICKED'),
    ('min deng tha knhom nov ae na te', 'TRAFFICKED'),
    ('ບໍ່ຮູ້ວ່າຢູ່ໃສ', 'TRAFFICKED'),
    ('bo hoo wa yu sai', 'TRAFFICKED'),
    ('em không biết đang ở đâu', 'TRAFFICKED'),
    ('ga tau aku dimana skrg', 'TRAFFICKED'),
    ('d ko alm kng nsan aq', 'TRAFFICKED'),
    ('我不知道我在哪', 'TRAFFICKED'),
    ('wo bu zhi dao wo zai na li', 'TRAFFICKED'),
    ('म कहाँ छु थाहा छैन', 'TRAFFICKED'),
    ('kaha chhu thaha chhaina', 'TRAFFICKED'),
    ("come get me quietly, don't call, they check phones", 'COVERT_CONTACT'),
    ('dont call me, they check our phones', 'COVERT_CONTACT'),
    ('มารับเงียบๆ อย่าโทรมา เขาตรวจมือถือ', 'COVERT_CONTACT'),
    ('ma rab ngiap ngiap, ya tho, khao check mue thue', 'COVERT_CONTACT'),
    ('တိတ်တိတ်လေး လာခေါ်ပါ ဖုန်းမဆက်ပါနဲ့ သူတို့ ဖုန်းစစ်တယ်', 'COVERT_CONTACT'),
    ('phone ma set par nae, phone sit tal', 'COVERT_CONTACT'),
    ('មកយកខ្ញុំស្ងាត់ៗ កុំតេមក គេឆែកទូរស័ព្ទ', 'COVERT_CONTACT'),
    ('kom call mok, boss check phone knhom', 'COVERT_CONTACT'),
    ('ມາຮັບງຽບໆ ຢ່າໂທມາ ເຂົາກວດໂທລະສັບ', 'COVERT_CONTACT'),
    ('ya tho ma, khao kuat tho la sap', 'COVERT_CONTACT'),
    ('dung goi, ho kiem tra dien thoai', 'COVERT_CONTACT'),
    ('jangan nelpon ya, bos ngecek hp', 'COVERT_CONTACT'),
    ('jangan bales siang ya, hp dicek mandor', 'COVERT_CONTACT'),
    ('sunduin nyo ko ng tahimik, wag tumawag, chinecheck nila phone', 'COVERT_CONTACT'),
    ('别打电话，老板查手机', 'COVERT_CONTACT'),
    ('bie da dian hua, ta men cha shou ji', 'COVERT_CONTACT'),
    ('phone nagarnu, phone check garchhan', 'COVERT_CONTACT'),
    ('ssktn nla ulit aq pg d aq nkpg close ng client', 'THREATS'),
    ('bbgbgn dw kmi pg d nka quota', 'THREATS'),
    ('target မပြည့်ရင် ဒဏ်ငွေ ဖြတ်တယ်', 'DEBT_BONDAGE'),
    ('target ma pyae yin dan ngway phyat tal', 'DEBT_BONDAGE'),
    ('facebook မှာ မိန်းကလေးယောင်ဆောင်ပြီး chat ရတယ် မလုပ်ရင် ဒဏ်ငွေ ဖြတ်တယ်', 'FORCED_SCAMMING'),
    ('mein kha lay yaung saung pee chat ya tal, ma ya yin dan ngway phyat tal', 'FORCED_SCAMMING'),
    ('the job is pig butchering, fake girlfriend chats to get crypto', 'FORCED_SCAMMING'),
]

#: Self-harm hints in romanised Khmer (SMS spelling), Lao and Indonesian.
HINTS = [
    'sansam thnam deik chroen',
    'chng deik min pnheak venh',
    'ເມື່ອຍແລ້ວ ບໍ່ຢາກຕື່ນມາອີກ',
    'capek, ga pengen bangun lagi besok',
]

#: The same words in a free life: none of the new signals.
QUIET = [
    'i dont know where i am going with this essay',
    'no idea where we are lol, google maps is dead',
    'i have no idea where we are in the project timeline',
    'my mum checks my phone every night',
    'teacher checks our phones before the exam',
    'they check phones at airport security now',
    'my boss always checks his phone in meetings',
    'ไม่รู้ว่าอยู่ไหน หลงทางในห้าง 555',
    'กุญแจ ไม่รู้ว่าอยู่ไหน หาไม่เจอ',
    'เขาดูมือถือทั้งวัน',
    'แม่ตรวจมือถือทุกคืน',
    'không biết ở đâu bán cái này',
    'sếp xem điện thoại suốt buổi họp',
    'gak tau dimana belinya',
    'bos liat hp terus pas meeting',
    '不知道在哪买',
    '不知道哪个好',
    '周末偷偷带我去吃火锅',
    '老板看手机看了一上午',
    'hindi ko alam kung saan ako kakain mamaya',
    'ဖုန်း ဘယ်မှာ ရှိလဲ မသိဘူး',
    'ကောင်မလေး ယောင်ဆောင်ပြီး ပြဇာတ်ကနတယ်',
    'သော့ ဘယ်ရောက်သွားလဲ မသိဘူး',
    'មិនដឹងថាកូនសោនៅឯណាទេ',
    'ບໍ່ຮູ້ວ່າກະແຈຢູ່ໃສ',
    'म कहाँ छु थाहा छैन, नक्सा खोल्छु एकछिन haha',
    'ssktn mo ako sa sagot mo haha',
]
NEW = {"TRAFFICKED", "COVERT_CONTACT", "FORCED_SCAMMING"}


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_goodbye_is_no_self_harm_hint(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)
    assert signal_severity(text) != "emergency"


@pytest.mark.parametrize(("text", "signal"), CRIES)
def test_a_cry_that_fired_nothing_has_its_signal(text: str, signal: str) -> None:
    assert signal in match_signals(text)


@pytest.mark.parametrize("text", HINTS)
def test_a_romanised_or_sms_hint_is_an_emergency(text: str) -> None:
    assert "SUICIDAL" in match_signals(text)
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", QUIET)
def test_lost_in_a_mall_or_a_parent_checking_a_phone_is_no_cry_signal(text: str) -> None:
    assert not NEW & set(match_signals(text))


def test_do_not_call_in_thai_is_no_torture() -> None:
    # "อย่าโทรมานะ" (don't call) holds the letters of ทรมาน (torment).
    assert "VIOLENCE" not in match_signals("อย่าโทรมานะ ประชุมอยู่")


#: Session 11 review (review14): texts of its own, id C/H = a hint written from a compound, W = an
#: explicit wish beside a guard word, F/K = a free life, P = a probe of the new cry signals.
#: K02 (a surprise pickup, "haha") is an urgent false alarm since batches 31, 32 and sp5 were
#: trained on (session 14: no signal, first stage 0.43 against 0.4, ordinary stage 0.58 against
#: its 0.45 veto): known, expected only to be no emergency, not hidden. P04 (a question about
#: phone checks at a Samsung factory gate) likewise since batches 37, 38 and probes sp8, wp2 were
#: trained on (session 17: no signal, first stage 0.464 against 0.4, ordinary stage 0.497 against
#: 0.45).
REVIEW = [json.loads(line) for line in (Path(__file__).parent / "data" / "everyday_review14.jsonl")
          .read_text(encoding="utf-8").splitlines() if line.strip()]


def _review(expect: str) -> list:
    return [pytest.param(r["text"], id=r["id"]) for r in REVIEW if expect in r["expect"]]


@pytest.mark.parametrize("text", _review("hint"))
def test_a_hint_beside_how_they_came_or_how_long_stays_an_emergency(text: str) -> None:
    # A trip, a flight, a move, a new job or "no day off" elsewhere must not hide the hint.
    assert "SUICIDAL" in match_signals(text)
    assert triage(text).severity == "emergency"


@pytest.mark.parametrize("text", _review("hint_asked"))
def test_a_wish_beside_an_everyday_end_is_an_emergency_or_a_check_in(text: str) -> None:
    # "I want to die, last day at work": since session 17 the rest of the message ("last day at
    # work") may read as everyday life (``check_in_rest_below``): a check-in, which asks and
    # gives the emergency contacts, is as right an answer as the card; silence is not.
    assert "SUICIDAL" in match_signals(text)
    result = triage(text)
    assert result.reaches_out and result.case_severity == "emergency"


@pytest.mark.parametrize("text", _review("free"))
def test_a_free_life_goodbye_trip_or_pet_is_no_emergency(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text)
    assert signal_severity(text) != "emergency"


@pytest.mark.parametrize("text", _review("no_cry_signal"))
def test_a_tourist_lost_keys_or_a_sleeping_baby_is_no_cry_signal(text: str) -> None:
    assert not NEW & set(match_signals(text))


@pytest.mark.parametrize("text", _review("not_distress"))
def test_a_tourist_or_a_pickup_surprise_is_not_distress(text: str) -> None:
    assert not triage(text).distress
