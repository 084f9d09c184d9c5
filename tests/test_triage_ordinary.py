"""Session 12 (tune-ordinary15): ordinary messages (thanks, greetings, remittance, passport and
visa questions, "what can this bot do") stay quiet, in ten languages, script and romanised; a cry
with the same words is still distress. A short message with no signal at all needs
``recogniser.alone_threshold`` of the first stage (CV by batch: ordinary 8136 -> 8152 of 8249,
no cry lost). All texts are our own."""

from __future__ import annotations

import pytest

from bot.engines.triage import match_signals, triage

EVERYDAY = [
    # en
    "thanks so much for your help, you helped me a lot",
    "hi, can my boss send money home for me through western union?",
    "do i need my passport to send money home with wise?",
    "how much does it cost to renew my passport at the embassy?",
    "good morning! what can this bot do?",
    "thank you, the hotline number helped, my visa question is solved",
    # th
    "ขอบคุณมากที่ช่วยครับ",
    "สวัสดีครับ บอทนี้ช่วยอะไรได้บ้าง",
    "โอนเงินกลับบ้านผ่านแอปไหนถูกที่สุด นายจ้างให้ใช้ธนาคารกรุงเทพ",
    "ต่อพาสปอร์ตที่สถานทูตใช้เวลากี่วัน",
    "sawasdee krub, bot ni chuay arai dai bang",
    # my
    "ကူညီပေးတဲ့အတွက် ကျေးဇူးတင်ပါတယ်",
    "မင်္ဂလာပါ ဒီ bot က ဘာတွေ ကူညီပေးနိုင်လဲ",
    "ထိုင်းကနေ မြန်မာကို ငွေလွှဲရင် ဘယ် app က သက်သာလဲ",
    "ပတ်စပို့ သက်တမ်းတိုးရင် ဘယ်လောက်ကျလဲ",
    "kyay zu tin bar tal, ku nyi pay lo",
    "mingalarpar, di bot ka bar twe lote pay nai lae",
    # km
    "អរគុណច្រើនសម្រាប់ជំនួយ",
    "សួស្តី បូតនេះអាចជួយអ្វីខ្លះ",
    "ផ្ញើលុយពីថៃទៅកម្ពុជាតាម Wing ឬ ABA មួយណាថោកជាង",
    "ធ្វើលិខិតឆ្លងដែនថ្មីអស់ប៉ុន្មាន",
    "sousdey bong, bot nis ach chuoy avei klas",
    # lo
    "ຂອບໃຈຫຼາຍໆທີ່ຊ່ວຍເຫຼືອ",
    "ສະບາຍດີ ບອດນີ້ຊ່ວຍຫຍັງໄດ້ແດ່",
    "ໂອນເງິນຈາກໄທໄປລາວຜ່ານ BCEL ເສຍຄ່າທຳນຽມເທົ່າໃດ",
    "ເຮັດໜັງສືຜ່ານແດນໃໝ່ໃຊ້ເວລາຈັກມື້",
    "khob jai lai lai thi suay leua",
    "sabaidee, bot ni suay nyang dai dae",
    # vi
    "cảm ơn bạn đã giúp mình nhiều nha",
    "chào bạn, bot này giúp được gì vậy?",
    "gửi tiền từ Đài Loan về Việt Nam qua app nào rẻ nhất?",
    "làm lại hộ chiếu mất bao lâu vậy?",
    "cam on ban da giup minh, chuc ban ngay vui",
    "chao ban, bot nay giup duoc gi vay",
    # id
    "makasih banyak ya udah bantu",
    "halo, bot ini bisa bantu apa aja?",
    "kirim uang dari Malaysia ke Indonesia paling murah pakai apa?",
    "bikin paspor baru berapa lama ya?",
    "selamat pagi kak, terima kasih atas bantuannya",
    # tl
    "salamat po sa tulong ninyo",
    "hello po, ano po ang kaya gawin ng bot na ito?",
    "magkano magpadala ng pera mula Dubai papuntang Pinas sa GCash?",
    "gaano katagal mag-renew ng passport sa DFA?",
    "magandang umaga po, salamat sa info",
    # zh
    "谢谢你的帮助",
    "你好，这个机器人能做什么？",
    "从泰国汇钱回国哪个平台手续费最低",
    "护照续签要多久",
    "xiexie ni de bangzhu",
    "nihao, zhege jiqiren neng zuo shenme",
    "公司把旧车卖了",
    "我妈把我关在房间里复习高考，坐牢一样😭",
    "我以前被骗去过缅北，现在已经平安回家了，想提醒别人小心假招聘",
    "被会议关了一整天，出都出不去",
    # ne
    "सहयोगको लागि धेरै धन्यवाद",
    "नमस्ते, यो बोटले के गर्न सक्छ?",
    "मलेसियाबाट नेपाल पैसा पठाउन कुन एप सस्तो छ?",
    "राहदानी नवीकरण गर्न कति दिन लाग्छ?",
    "dhanyabad sahayog ko lagi",
    "namaste dai, yo bot le k garna sakcha?",
    # short, no signal
    "ไม่ได้", "i said no", "我下线了", "ga usah", "ខ្ញុំមិនចង់ទេ", "bo ao",
]

#: The same words with a plea: thanks, a greeting or a remittance word beside a kept passport
#: and a lock (a comma after the thanks, as people write).
CRIES = [
    "thanks for your help, please help me, my boss took my passport and locks us in",
    "ขอบคุณที่ช่วย แต่ช่วยด้วย นายจ้างยึดพาสปอร์ตและขังพวกเราไว้",
    "ကူညီပေးပါ သူဌေးက ပတ်စပို့ သိမ်းထားပြီး အပြင်မထွက်ခိုင်းဘူး",
    "អរគុណ តែជួយខ្ញុំផង ថៅកែយកលិខិតឆ្លងដែនខ្ញុំ ហើយចាក់សោខ្ញុំក្នុងបន្ទប់",
    "ຂອບໃຈ, ຊ່ວຍແດ່ ນາຍຈ້າງເກັບໜັງສືຜ່ານແດນ ແລະ ຂັງພວກເຮົາໄວ້ໃນຫ້ອງ",
    "cảm ơn bạn, cứu em với, ông chủ giữ hộ chiếu và nhốt em trong phòng",
    "makasih, tapi tolong saya, bos menahan paspor saya dan mengurung kami",
    "salamat po, tulungan niyo po ako, kinuha ng amo ang passport ko at kinulong kami",
    "谢谢，救救我，老板扣了我的护照，把我们关起来了",
    "धन्यवाद, मलाई बचाउनुहोस्, मालिकले राहदानी खोसेर हामीलाई थुनेको छ",
    "arkun del chuoy, chuoy khnhom phong, thaokae yok passport khnhom",
    # short, and the first stage sure of it with no signal ("pick me up, quietly")
    "能来接我吗 悄悄的",
    "help", "ช่วยด้วย", "救命", "sos",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_ordinary_message_is_not_distress(text: str) -> None:
    assert not triage(text).distress


@pytest.mark.parametrize("text", CRIES)
def test_a_cry_with_the_same_words_is_distress(text: str) -> None:
    assert triage(text).distress


@pytest.mark.parametrize(("text", "gone"), [
    ("公司把旧车卖了", "THREAT_OF_SALE"),
    ("我妈把我关在房间里复习高考", "CONFINEMENT"),
])
def test_the_everyday_clause_fires_no_signal(text: str, gone: str) -> None:
    assert gone not in match_signals(text)


@pytest.mark.parametrize(("text", "kept"), [
    ("老板把我卖了", "THREAT_OF_SALE"),
    ("他们把我关在房间里，不让出去", "CONFINEMENT"),
    ("arkun del chuoy, chuoy khnhom phong", "CALL_FOR_HELP"),
    ("我以前被打，现在不安全，救救我", "VIOLENCE"),
    ("被会议关了一整天，现在被老板关在小黑屋，救命", "CONFINEMENT"),
])
def test_the_plea_beside_the_guarded_words_still_fires(text: str, kept: str) -> None:
    assert kept in match_signals(text)


def test_no_past_and_safe_now_guard_hides_a_wish_to_die() -> None:
    result = triage("以前被困在园区，现在没事了，但是还是想死")
    assert "SUICIDAL" in result.signals
    assert result.severity == "emergency"
