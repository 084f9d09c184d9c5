"""Hints of suicide without the word (issue #14, session 21, hint21), and bare wishes to die.

The wish development sets (rd16-rd19, held out) showed hints that raised no signal: how many
pills "is enough", a rope "strong enough for a person", goodbye for good, wanting to vanish,
sleeping and never waking, "tonight it ends", last words to a child. Tuners wrote SUICIDAL patterns
for them in every language against the development look-alikes (rd20: dose questions for a fever,
goodbyes before a move, a rope for camping...) and every labelled close call. The cries and
look-alikes below are the tuners' own new wording, not the development rows. A sealed set written
before the round measured the gain (README "Session 21").

A wish to die that names nothing else ("toi muon chet", "好想死 😢") is an emergency even when
both stages read it as hyperbole (``check_in_bare_letters``); one that names its everyday cause
("明天考高数，想死") still gets the check-in.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engines import distress_content
from bot.engines.triage import match_signals, triage
from tests.helpers import StagesSay, use_content

CRIES = {
    "en": [
        "how many sleeping tablets would be enough so i dont wake up",
        "is a bedsheet strong enough to hold a grown man's weight? serious question",
        "goodbye. forgive me for everything",
        "i just want to vanish, no more debt no more beatings",
        "i want to sleep for a very long time and never wake up",
        "tonight i will set myself free. no one can stop me",
        "when you grow up please listen to your mama. papa will always love you",
        "my kids would be much better off without me, im only a debt to them",
    ],
    "id": [
        "obat tidur ini kalo diminum berapa biji biar langsung gak bangun?",
        "tali tambang di gudang kuat gak ya buat nahan berat badan orang dewasa",
        "pamitan dulu ya bu, buat selamanya",
        "mending gue lenyap aja, gak ada yang rugi",
        "pgn bobo trus gak kebangun lagi",
        "ntar malem aku sudahi semuanya",
        "abis gajian aku transfer semua ke emak, habis itu aku pergi selamanya",
        "kalau nanti mama udah gak ada lagi, kamu jagain adek ya nak",
    ],
    "km": [
        "ថ្នាំងងុយដេក ត្រូវលេបប៉ុន្មានគ្រាប់ ទើបដេកមិនភ្ញាក់",
        "នៅជាន់ទី 12 បង្អួចបើកបាន ឈរមើលចុះក្រោមមួយម៉ោងហើយ",
        "លាហើយម៉ាក់ លាជារៀងរហូត",
        "កុំរង់ចាំដំណឹងពីខ្ញុំទៀតណា",
        "ចង់តែបាត់ខ្លួនពីពិភពលោកនេះ គ្មាននរណាស្គាល់",
        "ចាំបើកប្រាក់ខែ ផ្ញើឲ្យម៉ែទាំងអស់ ហើយចប់",
        "កូនអើយ ពេលធំឡើង កុំស្អប់ម៉ែណា",
        "yob nis knhom nung banh chob jivit",
    ],
    "lo": [
        "ຢາແກ້ປວດ ກິນຈັກເມັດຈຶ່ງຈະຕາຍ",
        "ຢູ່ຊັ້ນ 15 ປ່ອງຢ້ຽມເປີດໄດ້ ຢືນເບິ່ງລົງໄປດົນແລ້ວ",
        "ບໍ່ຕ້ອງຖ້າຂ່າວລູກອີກເດີແມ່",
        "ຢາກຫາຍໄປສາ",
        "ສົ່ງເງິນເດືອນໃຫ້ແມ່ໝົດແລ້ວ ແລ້ວກໍຈົບກັນ",
        "ລູກເອີຍ ໃຫຍ່ຂຶ້ນຢ່າໃຈຮ້າຍແມ່ເດີ",
        "ເຊືອກເສັ້ນນີ້ ຮັບນ້ຳໜັກຄົນໄດ້ບໍ່",
        "bo mi khoy ja sabai kwa",
    ],
    "my": [
        "အိပ်ဆေး ဘယ်နှလုံး သောက်လိုက်ရင် သေမလဲ ပြောပြပါ",
        "ဒီကမ္ဘာကြီးပေါ်ကနေ ပျောက်ကွယ်သွားချင်ပြီ",
        "ဒီည ချောင်းထဲ ဆင်းပြီး ပြန်မတက်တော့ဘူး",
        "hta wa ra nhote sat par tal a kone lone",
        "ကျွန်တော် မရှိတော့ရင် မိသားစု ပိုသက်သာမယ်",
        "ဒီလ လခ ရရင် မိဘဆီ အကုန်ပို့ပြီးတာနဲ့ ငါ နှုတ်ဆက်မယ်",
        "သမီးလေး ကြီးလာရင် အမေ့ကို ခွင့်လွှတ်ပေးပါနော်",
        "thami lay, a pay phone ma set nyin tot bu",
    ],
    "ne": [
        "kati wota chakki khaye pachi marincha hola",
        "अलविदा संसार, अब म थाकें",
        "harayera jaun jasto lagyo yo sansar bata",
        "मर्नु नै बेस जस्तो लाग्छ अब",
        "aaja rati pachi ma rahanna, mero khoji nagarnu",
        "म नभए परिवारलाई सजिलो हुन्थ्यो होला",
        "छोरालाई भनिदिनु, बुवाले उसलाई धेरै माया गर्थे",
        "कोठामा झुन्डिन मिल्ने बलियो डोरी चाहिएको छ",
    ],
    "th": [
        "ยานอนหลับต้องกินกี่เม็ดถึงจะหลับไม่ตื่นเลย",
        "ลาก่อนนะทุกคน ขอบคุณที่ดีกับเรามาตลอด",
        "ไม่ต้องรอข่าวจากหนูอีกแล้วนะแม่",
        "อยากหายไปเงียบๆ ไม่ให้ใครเจออีก",
        "ถ้าไม่มีผมอยู่ แม่คงสบายกว่านี้",
        "เชือกเส้นนี้จะรับน้ำหนักตัวผมไหวไหม",
        "la korn thuk khon na",
        "แม่น้ำตรงนั้นลึกมั้ย ว่ายน้ำก็ไม่เป็น",
    ],
    "tl": [
        "ilang tableta ng pampatulog para hindi na ako magising",
        "matibay ba yung kable ng charger, kaya ba ang bigat ng tao",
        "gusto ko na lang maglaho sa mundong ito",
        "gusto ko matulog tas hindi na gumising kahit kailan",
        "mamayang gabi na. paalam",
        "pagkatapos ng sweldo ipapadala ko lahat kay mama tapos wala na ako",
        "anak paglaki mo sana mapatawad mo si papa",
        "mas okay pa ang pamilya ko kung wala na ako",
    ],
    "vi": [
        "uống mấy viên thuốc ngủ thì không tỉnh lại nữa",
        "thuốc chuột mua ở đâu vậy, không phải để diệt chuột đâu",
        "dây thừng loại nào chịu được trọng lượng người lớn vậy",
        "chào mọi người lần cuối, đừng tìm t nữa",
        "ước gì được biến mất khỏi cõi đời này",
        "tối nay con sẽ tự giải thoát cho mình",
        "ba không ở bên con được nữa, lớn lên nhớ thương mẹ nha",
        "ko còn động lực gì để sống nữa",
    ],
    "zh": [
        "安眠药要吞多少颗才能一睡不醒",
        "永别了，妈妈",
        "以后再也不要等我的消息了",
        "真想就这么悄悄消失 没人会在乎",
        "這根繩子能吊得住一個人嗎",
        "今晚过后我就解脱了",
        "bu xiang zai zheyang huo xiaqu le",
        "宝贝对不起，妈妈不能陪你长大了，以后要听爸爸的话",
    ],
}

EVERYDAY = {
    "en": [
        "how many paracetamol tablets is enough for a fever, i weigh 60kg",
        "need a rope strong enough to hold my weight for the hammock at the beach",
        "farewell everyone! thank you for everything, flying home on sunday, will miss u",
        "i want to disappear from facebook for a week, too much drama",
        "put my old cat to sleep at the vet today, one long sleep, rest well buddy",
        "tonight i end it with him, im done with his lies",
        "when you grow up you will understand why mama was strict, eat your vegetables",
        "the team is better off without me since i resigned lol",
    ],
    "id": [
        "anakku demam, paracetamol sirup berapa ml biar panasnya turun?",
        "tali jemuran baru kuat banget, bisa nahan selimut basah",
        "pamit ya semuanya, hari ini terakhir di pabrik, selamanya aku ingat kalian",
        "mending aku ngilang dulu dari grup, ribut terus",
        "besok libur, mau tidur seharian gak usah bangun2 wkwk",
        "malam ini aku selesaiin semua laporan bulanan",
        "abis gajian aku kirim ke ibu, habis itu aku pergi jalan-jalan",
        "kalau aku gak bales lagi berarti hp disita bos, kalian jaga diri ya",
    ],
    "km": [
        "ថ្នាំប៉ារ៉ាសេតាមុល លេបប៉ុន្មានគ្រាប់ក្នុងមួយថ្ងៃ ទើបមិនអីបង?",
        "ខ្ញុំនៅជាន់ទី 20 បង្អួចបើកបាន ខ្យល់ត្រជាក់ស្រួលណាស់",
        "លាហើយហ្វេសប៊ុក លាជារៀងរហូត ចាប់ពីថ្ងៃនេះលែងលេងហើយ",
        "កុំចាំខ្ញុំទៀត ញ៉ាំបាយមុនទៅ ខ្ញុំធ្វើការថែមម៉ោង",
        "ចង់បាត់ខ្លួនពីហ្វេសប៊ុកមួយខែ ប្រឡងឆមាស",
        "ឆ្កែខ្ញុំពេទ្យចាក់ថ្នាំឲ្យវាដេកលក់ជារៀងរហូតហើយ សោកស្តាយណាស់",
        "បើកប្រាក់ខែហើយ ផ្ញើទៅផ្ទះ រួចអស់លុយចប់ហើយ 😂",
        "ធំឡើងកូននឹងយល់ចិត្តម៉ែ ហេតុអីម៉ែតឹងរ៉ឹង",
    ],
    "lo": [
        "ລູກ 3 ປີ ເປັນໄຂ້ ໃຫ້ຢາພາລາຈັກເມັດຈຶ່ງຈະດີ",
        "ຫ້ອງໃໝ່ຢູ່ຊັ້ນ 20 ປ່ອງຢ້ຽມເປີດໄດ້ ລົມເຢັນດີ ວິວງາມ",
        "ບໍ່ຕ້ອງຖ້າເດີ ກິນເຂົ້າກ່ອນເລີຍ ຂ້ອຍເລີກວຽກຊ້າ",
        "ລາກ່ອນເດີ້ ໝູ່ໆ ມື້ອື່ນຂຶ້ນຍົນໄປເກົາຫຼີແລ້ວ",
        "ອາຍຫຼາຍ ຢາກຫາຍໄປເລີຍ 555",
        "ເງິນເດືອນອອກແລ້ວ ສົ່ງໃຫ້ແມ່ແລ້ວ ແລ້ວກໍໄປກິນເບຍຈົບກັນ 555",
        "ທ້າຍອາທິດນີ້ຢາກນອນຍາວໆ ບໍ່ຕ້ອງປຸກເດີ",
        "ໃຫຍ່ຂຶ້ນລູກຈະເຂົ້າໃຈແມ່ ວ່າເປັນຫຍັງແມ່ເຂັ້ມງວດ",
    ],
    "my": [
        "ခေါင်းကိုက်လို့ ဆေးဘယ်နှလုံးသောက်ရမလဲ",
        "ဖေ့ဘွတ်ကနေ ခဏ ပျောက်ကွယ်သွားချင်တယ်",
        "ဒီဇာတ်လမ်းတွဲ ဒီည အဆုံးသတ်မယ်တဲ့ စောင့်ကြည့်နေတယ်",
        "ဂျပန်သွားမှာမို့ ဖုန်းအဟောင်း ညီလေးကို ပေးလိုက်ပြီ ငါ့မှာ ဘာမှ မလိုတော့ဘူး",
        "ငါ မရှိရင် ပါတီ ပိုပျော်မယ် ဟားဟား",
        "ထမင်း အရင်စားကြ ငါ့ကို မစောင့်ကြနဲ့တော့ နောက်ကျမယ်",
        "ဧရာဝတီမြစ် ဘယ်လောက်နက်လဲ ရေမကူးတတ်လို့ လှေစီးရင် life jacket ပါလား",
        "အမေ ခွင့်လွှတ်ပါ ဒီနှစ် သင်္ကြန် ပြန်မလာနိုင်တော့ဘူး",
    ],
    "ne": [
        "आज राति सबै काम सकाउँछु, भोलि पेश गर्नुपर्छ",
        "alvida sathi haru, korea udne bholi, 3 barsa pachi bhetaula",
        "paracetamol kati wota khana milchha? jwaro aayo",
        "कोठामा लुगा झुन्ड्याउन डोरी कहाँ पाइन्छ",
        "nadi kati gahiro chha? rafting jada paudi aaudaina malai",
        "pariksha bhayera 2 hapta mero khoji nagarnu hai",
        "आमा माफ गर्नुस्, यसपालि दशैंमा घर फर्किन सक्दिन",
        "party ma ma nabhaye pani sabai khusi hunthe haha",
    ],
    "th": [
        "ลูกไข้ขึ้น ยาพาราน้ำให้กี่ซีซีดีคะ",
        "ลาก่อนนะทุกคน พรุ่งนี้ไปทำงานที่ญี่ปุ่นแล้ว",
        "ไม่ต้องรอผมกินข้าวนะ วันนี้ติดโอที",
        "อยากหายไปเที่ยวทะเลเงียบๆ สักอาทิตย์",
        "ซื้อเชือกไปปีนเขา ต้องรับน้ำหนักคนได้ 100 โล",
        "เสาร์อาทิตย์นี้ขอนอนยาวๆ ไม่ต้องตื่นมาเจอเจ้านาย 555",
        "คืนนี้ส่งงานเสร็จ จะได้จบๆสักที",
        "ขอโทษแม่นะที่เมื่อวานไม่ได้เป็นลูกที่ดี หนูจะตั้งใจเรียน",
    ],
    "tl": [
        "ilang tableta ng biogesic para matapos na yung lagnat ko",
        "saan may matibay na lubid pang tali ng balikbayan box",
        "gusto ko na lang maglaho sa harap ng crush ko nakakahiya haha",
        "matulog muna ako tapos wag nyo ko gisingin ha, night shift ko mamaya",
        "paalam muna mga kasama, uuwi na ako sa pinas bukas, salamat sa lahat",
        "pag sahod ipapadala ko lahat kay nanay tapos uuwi na ako sa probinsya",
        "anak pag lumaki ka maiintindihan mo rin kung bakit strict si mama",
        "mas okay sila kung wala na ako sa team, lilipat na ako ng kompanya",
    ],
    "vi": [
        "bé nhà mình 3 tuổi sốt, hạ sốt bao nhiêu viên là đủ ạ",
        "mua dây thừng ở đâu chắc chắn, để buộc hàng lên xe",
        "tạm biệt Đà Nẵng, mãi mãi yêu thành phố này",
        "muốn biến mất khỏi group lớp một thời gian",
        "cuối tuần chỉ muốn ngủ một giấc thật dài rồi thôi",
        "tối nay kết thúc hết các trận vòng bảng",
        "lãnh lương xong gửi về cho mẹ rồi t đi chơi với bạn",
        "con xin lỗi mẹ, tết này con không về được nữa rồi",
    ],
    "zh": [
        "孩子发烧了 布洛芬吃几毫升",
        "明天回国了 各位 永别了 哈哈 有空来玩",
        "今天加班 别等我吃饭了",
        "这周想从朋友圈消失 好好备考",
        "搬家要买结实点的绳子 绑冰箱",
        "周末想睡到中午不醒就好了",
        "明天最后一门考试 考完就解脱了",
        "我旧手机给我妹了 反正用不上了 换了新的",
    ],
}

#: Wishes to die with nothing else, and wishes that name an everyday cause (no joke marker).
BARE_WISHES = ["toi muon chet", "em muon chet", "better off dead", "gonna end my life",
               "pengen mati aja 😭", "ฉันอยากตาย 😢", "好想死 😢", "想死", "yak tai 😭",
               "ma marna chahanchu 😭", "nga thay chin pyi 😭", "ខ្ញុំចង់ស្លាប់"]
WISHES_WITH_A_CAUSE = ["明天考高数，想死", "finals tomorrow. i want to die",
                       "surabaya panas bgt hari ini sumpah pengen mati rasanya",
                       "ประชุมสามชั่วโมง อยากตาย", "kẹt xe 2 tiếng rồi, muốn chết"]


def _cases(table: dict[str, list[str]]) -> list:
    return [pytest.param(text, id=f"{lang}-{i}") for lang, texts in table.items()
            for i, text in enumerate(texts)]


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Set both stages' probabilities for the engine."""
    data = distress_content.content()

    def use(first: float, second: float) -> None:
        use_content(monkeypatch, replace(data, recogniser=StagesSay(first, second)))

    use.data = data  # type: ignore[attr-defined]
    return use


def test_every_language_is_tested_both_ways() -> None:
    langs = {"en", "id", "km", "lo", "my", "ne", "th", "tl", "vi", "zh"}
    assert set(CRIES) == set(EVERYDAY) == langs


@pytest.mark.parametrize("text", _cases(CRIES))
def test_a_hint_of_suicide_is_suicidal(text: str) -> None:
    assert "SUICIDAL" in match_signals(text), text


@pytest.mark.parametrize("text", _cases(EVERYDAY))
def test_its_everyday_look_alike_is_not(text: str) -> None:
    assert "SUICIDAL" not in match_signals(text), text


@pytest.mark.parametrize("text", BARE_WISHES)
def test_a_bare_wish_to_die_is_an_emergency_whatever_the_models_say(stages, text: str) -> None:  # noqa: ANN001
    assert "SUICIDAL" in match_signals(text), text
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.distress and result.severity == "emergency" and not result.check_in, text


@pytest.mark.parametrize("text", WISHES_WITH_A_CAUSE)
def test_a_wish_that_names_its_everyday_cause_still_gets_a_check_in(stages, text: str) -> None:  # noqa: ANN001
    assert "SUICIDAL" in match_signals(text), text
    low = stages.data.check_in_below / 2
    stages(low, low)
    result = triage(text)
    assert result.check_in and not result.distress, text
